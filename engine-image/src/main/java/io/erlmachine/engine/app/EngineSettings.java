package io.erlmachine.engine.app;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;
import java.util.Optional;

/** Engine settings that are not part of the machine config (environment variables ERLMACHINE_ENGINE_*). */
@ConfigMapping(prefix = "erlmachine.engine")
public interface EngineSettings {

  /** The machine config file; the operator mounts it from the machine's ConfigMap. */
  Optional<String> configFile();

  /** How often the config file is checked for changes (hot reload). */
  @WithDefault("1s")
  Duration reloadCheckInterval();

  /** Threads that run gears; defaults to the number of available processors (at least 2). */
  Optional<Integer> workers();

  /** Memory one gear may allocate while handling one message before the watchdog stops it. */
  @WithDefault("256")
  int allocationLimitMebibytes();

  /** Hops the journal keeps (the most recent ones, of all messages), for GET /api/v1/tracks. */
  @WithDefault("65536")
  int journalHops();

  /** Dead letters kept for inspection (all are counted). */
  @WithDefault("1000")
  int deadLettersKept();

  /** Log lines a gear may write per second. */
  @WithDefault("100")
  int logLinesPerSecond();

  /** Port at which other machines' engines answer (their Service port; local mode uses its own). */
  @WithDefault("80")
  int peerPort();

  /** Refuse to start without the optimizing compiler (JVMCI and the Graal compiler jars). */
  @WithDefault("false")
  boolean requireCompiler();
}
