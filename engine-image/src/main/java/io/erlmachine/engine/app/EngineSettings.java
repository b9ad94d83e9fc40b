package io.erlmachine.engine.app;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;
import java.util.Optional;

/** Engine settings that are not part of the machine config (environment variables ERLMACHINE_ENGINE_*). */
@ConfigMapping(prefix = "erlmachine.engine")
public interface EngineSettings {

  /**
   * The machine config: a file (an engine that runs one machine, answering on the engine's own
   * port) or a directory with one machine config per file (an engine host; each machine answers
   * at its config's listener).
   */
  Optional<String> configFile();

  /** How often the config file is checked for changes (hot reload). */
  @WithDefault("1s")
  Duration reloadCheckInterval();

  /** Threads that run gears; defaults to the number of available processors (at least 2). */
  Optional<Integer> workers();

  /** Memory one gear may allocate while handling one message before the watchdog stops it. */
  @WithDefault("256")
  int allocationLimitMebibytes();

  /** Hops one machine's journal keeps at most (the most recent ones, of all messages), for GET /api/v1/tracks. */
  @WithDefault("65536")
  int journalHops();

  /** Dead letters one machine keeps at most for inspection (all are counted). */
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

  /** What the machines of this engine keep, in total; each machine gets its share (see HostBudgets). */
  Host host();

  /** Host-wide budgets for state machines keep after handling messages. */
  interface Host {
    /** Journal hops all machines keep together. */
    @WithDefault("262144")
    int journalHops();

    /** Dead letters all machines keep together for inspection. */
    @WithDefault("16384")
    int deadLetters();

    /** Bytes of dead-lettered messages all machines keep together, in MiB. */
    @WithDefault("64")
    int deadLetterMebibytes();

    /** Delivery ids all machines remember together to suppress duplicate deliveries. */
    @WithDefault("262144")
    int deliveryWindow();
  }
}
