package io.erlmachine.engine.app;

import io.erlmachine.api.config.MachineConfig;
import io.erlmachine.engine.config.MachineConfigFile;
import io.erlmachine.engine.js.JsPlatform;
import io.erlmachine.engine.machine.InvalidConfigException;
import io.erlmachine.engine.machine.MachineRuntime;
import io.erlmachine.engine.transmission.TrackFollower;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import org.jboss.logging.Logger;

/**
 * The engine of this process: the shared JavaScript platform and the machine it runs, loaded
 * from the config file at start and reloaded when the file changes.
 */
@ApplicationScoped
public class Engine {
  private static final Logger LOG = Logger.getLogger(Engine.class);

  private final EngineSettings settings;
  private final GearMetrics metrics;
  private JsPlatform platform;
  private MachineRuntime machine;
  private volatile Reload lastReload;
  private TrackFollower trackFollower;

  /** The outcome of the latest attempt to load the config. */
  public record Reload(Instant at, boolean applied, List<String> problems, MachineRuntime.ApplyResult result) {
  }

  Engine(EngineSettings settings, GearMetrics metrics) {
    this.settings = settings;
    this.metrics = metrics;
  }

  void start(@Observes StartupEvent event) {
    platform = new JsPlatform();
    trackFollower = new TrackFollower(settings.peerPort());
    if (platform.compilerActive()) {
      LOG.infof("JavaScript runs with the optimizing compiler (%s)", platform.runtimeName());
    } else if (settings.requireCompiler()) {
      throw new IllegalStateException("the optimizing compiler is not active and erlmachine.engine.require-compiler is set;"
          + " start the JVM with the flags in engine.jvmargs (JVMCI and the Graal compiler jars)");
    } else {
      LOG.warn("JavaScript runs WITHOUT the optimizing compiler (about 30x slower): start the JVM with the flags in"
          + " engine.jvmargs (-XX:+EnableJVMCI and the Graal compiler jars on --upgrade-module-path)");
    }
    int workers = settings.workers().orElse(Math.max(2, Runtime.getRuntime().availableProcessors()));
    machine = new MachineRuntime(platform, new MachineRuntime.Settings(workers, (long) settings.allocationLimitMebibytes() << 20,
        settings.journalHops(), settings.deadLettersKept(), settings.logLinesPerSecond(), settings.peerPort()),
        metrics::latency);
    if (settings.configFile().isEmpty()) {
      LOG.warn("no machine config (set " + MachineConfigFile.ENVIRONMENT_VARIABLE + "); the engine runs no gears");
      return;
    }
    reload();
  }

  void stop(@Observes ShutdownEvent event) {
    if (machine != null) {
      machine.close();
    }
    if (platform != null) {
      platform.close();
    }
  }

  /** Reads the config file and applies it; a config that fails validation leaves the running one in place. */
  public synchronized Reload reload() {
    Path file = Path.of(settings.configFile().orElseThrow(() -> new IllegalStateException(
        "the engine has no config file; set " + MachineConfigFile.ENVIRONMENT_VARIABLE)));
    try {
      MachineConfig config = MachineConfigFile.load(file);
      MachineRuntime.ApplyResult result = machine.apply(config);
      metrics.sync(machine);
      lastReload = new Reload(Instant.now(), true, List.of(), result);
      LOG.infof("machine config %s applied: %d gears added, %d updated, %d removed, %d unchanged", file,
          result.added(), result.updated(), result.removed(), result.unchanged());
    } catch (InvalidConfigException e) {
      lastReload = new Reload(Instant.now(), false, e.problems(), null);
      LOG.errorf("machine config %s rejected, the running config stays: %s", file, String.join("; ", e.problems()));
    } catch (IllegalArgumentException e) {
      lastReload = new Reload(Instant.now(), false, List.of(e.getMessage()), null);
      LOG.errorf("machine config %s rejected, the running config stays: %s", file, e.getMessage());
    }
    return lastReload;
  }

  public MachineRuntime machine() {
    return machine;
  }

  public JsPlatform platform() {
    return platform;
  }

  public TrackFollower trackFollower() {
    return trackFollower;
  }

  public Reload lastReload() {
    return lastReload;
  }

  public EngineSettings settings() {
    return settings;
  }
}
