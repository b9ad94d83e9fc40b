package io.erlmachine.engine.host;

import io.erlmachine.api.config.MachineConfig;
import io.erlmachine.engine.app.EngineSettings;
import io.erlmachine.engine.app.GearMetrics;
import io.erlmachine.engine.config.MachineConfigFile;
import io.erlmachine.engine.js.JsPlatform;
import io.erlmachine.engine.machine.HostBudgets;
import io.erlmachine.engine.machine.HostResources;
import io.erlmachine.engine.machine.InvalidConfigException;
import io.erlmachine.engine.machine.MachineRuntime;
import io.erlmachine.engine.transmission.TrackFollower;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.ext.web.Router;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.lang.System.Logger.Level;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.jboss.logging.Logger;

/**
 * An engine host: one process that runs any number of machines, the way a BEAM node runs
 * processes. Machines come from the config source (one file, or a directory with a file per
 * machine) and are added, updated and removed as those files change, each on its own, so that
 * a bad config or a removal never disturbs the other machines. All machines share the
 * JavaScript engine, the threads and the host's memory budgets; each has its own listener.
 */
@ApplicationScoped
public class EngineHost {
  private static final Logger LOG = Logger.getLogger(EngineHost.class);

  private final EngineSettings settings;
  private final GearMetrics metrics;
  private final Vertx vertx;
  private Router router;
  private JsPlatform platform;
  private HostResources resources;
  private MachineListeners listeners;
  private TrackFollower trackFollower;
  private ConfigSource source;
  private final Map<String, HostedMachine> machines = new ConcurrentHashMap<>();
  private final Map<Path, String> stamps = new HashMap<>();
  private final Map<Path, String> machineOfFile = new HashMap<>();
  private final Map<Path, Rejected> rejected = new ConcurrentHashMap<>();
  private final MessageIntake intake = new MessageIntake(this::runsMachineNamed);
  /** Whether machines may run; a cluster host runs none while it does not hold its Lease. */
  private volatile boolean serving = true;
  /** Machines to be started by the scan under way, by key: checked for conflicts like running ones. */
  private final Map<String, Start> starting = new LinkedHashMap<>();

  /** A machine the current scan starts. */
  private record Start(Path file, String key, MachineConfig config) {
  }

  /** A machine started off the scan's thread (in tookNanos, its own start only): running, or closed again with the problems. */
  private record Started(Start start, long tookNanos, MachineRuntime runtime, MachineRuntime.ApplyResult result,
                         List<String> problems) {
  }

  /** A config file whose machine does not run, and why. */
  public record Rejected(Path file, String machine, List<String> problems) {
  }

  EngineHost(EngineSettings settings, GearMetrics metrics, Vertx vertx) {
    this.settings = settings;
    this.metrics = metrics;
    this.vertx = vertx;
  }

  void captureRouter(@Observes Router main) {
    this.router = main;
  }

  void start(@Observes StartupEvent event) {
    platform = new JsPlatform();
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
    if (settings.host().retainedHeapPercent() < 0 || settings.host().retainedHeapPercent() > 100) {
      throw new IllegalStateException("erlmachine.engine.host.retained-heap-percent must be between 0 and 100, not "
          + settings.host().retainedHeapPercent());
    }
    resources = new HostResources(workers, new HostBudgets.Totals(settings.host().journalHops(), settings.host().deadLetters(),
        (long) settings.host().deadLetterMebibytes() << 20, settings.host().deliveryWindow(),
        (long) settings.host().logMebibytes() << 20, Runtime.getRuntime().maxMemory() / 100 * settings.host().retainedHeapPercent()));
    if (!platform.measuresRetainedHeap() && settings.host().retainedHeapPercent() > 0) {
      LOG.warn("the heap JavaScript contexts retain cannot be measured on this runtime, so machines' retained heap is not limited");
    }
    Handler handler = new Handler(router);
    listeners = new MachineListeners(vertx, handler);
    trackFollower = new TrackFollower(settings.peerPort());
    if (settings.configFile().isEmpty()) {
      LOG.warn("no machine config (set " + MachineConfigFile.ENVIRONMENT_VARIABLE + " to a file or a directory of files);"
          + " the engine runs no machine");
      return;
    }
    source = new ConfigSource(Path.of(settings.configFile().get()));
    if (settings.host().cluster().enabled()) {
      serving = false;
      LOG.info("cluster host: no machine starts before the host holds its Lease");
      return;
    }
    reload();
  }

  /** The router as a request handler (a named class, so that a listener never holds the host). */
  private record Handler(Router router) implements io.vertx.core.Handler<HttpServerRequest> {
    @Override
    public void handle(HttpServerRequest request) {
      router.handle(request);
    }
  }

  void stop(@Observes ShutdownEvent event) {
    if (listeners != null) {
      listeners.closeAll();
    }
    machines.values().forEach(machine -> machine.runtime().close());
    machines.clear();
    if (resources != null) {
      resources.close();
    }
    if (platform != null) {
      platform.close();
    }
  }

  /** Reads every config file again and applies what changed; the state of every machine afterwards. */
  public synchronized HostState reload() {
    scan(true);
    return state();
  }

  /** Applies the files that changed since the last look; cheap when none did. */
  public synchronized void reloadChanged() {
    if (source != null) {
      scan(false);
    }
  }

  private void scan(boolean everyFile) {
    if (source == null) {
      throw new IllegalStateException("the engine has no config; set " + MachineConfigFile.ENVIRONMENT_VARIABLE);
    }
    if (!serving) {
      return;
    }
    Map<Path, String> now = source.stamps();
    for (Path gone : new ArrayList<>(stamps.keySet())) {
      if (!now.containsKey(gone)) {
        rejected.remove(gone);
        String machine = machineOfFile.remove(gone);
        if (machine != null && !machineOfFile.containsValue(machine)) {
          LOG.infof("machine %s: its config %s was removed", machine, gone);
          stopMachine(machine);
        }
      }
    }
    if (!source.isDirectory() && now.isEmpty()) {
      LOG.errorf("machine config %s cannot be read; the running machines stay", source.path());
      rejected.put(source.path(), new Rejected(source.path(), null, List.of("cannot read machine config " + source.path())));
    }
    try {
      now.forEach((file, stamp) -> {
        if (everyFile || !stamp.equals(stamps.get(file))) {
          load(file);
        }
      });
      startAll(List.copyOf(starting.values()));
    } finally {
      starting.clear();
    }
    stamps.clear();
    stamps.putAll(now);
  }

  /**
   * Stops every machine and starts none until {@link #startServing()}: a cluster host that lost its Lease (or gives it
   * back) must not serve, since another host of the same name may take the machines over. The listeners close at once,
   * even while a reload is still starting machines (which then closes each machine it started instead of keeping it).
   */
  public void stopServing() {
    serving = false;
    if (listeners != null) {
      listeners.closeAll();
    }
    synchronized (this) {
      List.copyOf(machines.keySet()).forEach(this::stopMachine);
      stamps.clear();
      machineOfFile.clear();
      rejected.clear();
    }
  }

  /** Lets the next reload start the machine of every config file again. */
  public synchronized void startServing() {
    serving = true;
  }

  public boolean serving() {
    return serving;
  }

  /** Whether the engine takes new messages (not while it shuts down). */
  public MessageIntake intake() {
    return intake;
  }

  /** By machine (namespace/name), the messages it accepted and has not finished yet; machines with none are left out. */
  public Map<String, Integer> unfinished() {
    Map<String, Integer> unfinished = new java.util.TreeMap<>();
    machines.forEach((key, machine) -> {
      int count = machine.runtime().unfinished();
      if (count > 0) {
        unfinished.put(key, count);
      }
    });
    int admitting = intake.unfinished();
    if (admitting > 0) {
      unfinished.merge("(being admitted)", admitting, Integer::sum);
    }
    return unfinished;
  }

  private boolean runsMachineNamed(String name) {
    return machines.values().stream().anyMatch(machine -> machine.runtime().config() != null
        && name.equals(machine.runtime().config().machine().name()));
  }

  /** Starts new machines on all cores at once: a host with a directory of machines is ready sooner. */
  private void startAll(List<Start> starts) {
    if (starts.isEmpty()) {
      return;
    }
    int threads = Math.min(starts.size(), Runtime.getRuntime().availableProcessors());
    List<Started> done = new ArrayList<>();
    try (ExecutorService starters = Executors.newFixedThreadPool(threads, Thread.ofPlatform().name("erlmachine-start-", 1).factory())) {
      List<Future<Started>> futures = starts.stream().map(start -> starters.submit(() -> prepare(start))).toList();
      for (Future<Started> future : futures) {
        done.add(future.get());
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while starting machines", e);
    } catch (ExecutionException e) {
      throw new IllegalStateException("starting a machine failed", e.getCause());
    }
    done.forEach(this::register);
  }

  private void load(Path file) {
    if (!serving) {
      return;
    }
    long started = System.nanoTime();
    ConfigSource.Entry entry = ConfigSource.read(file);
    String previous = machineOfFile.get(file);
    if (entry.problem() != null) {
      reject(file, previous, List.of(entry.problem()));
      return;
    }
    MachineConfig config = entry.config();
    if (config.machine() == null || config.machine().name() == null || config.machine().namespace() == null) {
      reject(file, previous, List.of(file.getFileName() + ": machine: name and namespace are required"));
      return;
    }
    String key = config.machine().namespace() + "/" + config.machine().name();
    if (previous != null && !previous.equals(key)) {
      machineOfFile.remove(file);
      if (!machineOfFile.containsValue(previous)) {
        LOG.infof("machine %s: %s now declares %s instead", previous, file, key);
        stopMachine(previous);
      }
    }
    List<String> problems = hostProblems(file, key, config);
    if (!problems.isEmpty()) {
      reject(file, key, problems);
      return;
    }
    machineOfFile.put(file, key);
    HostedMachine running = machines.get(key);
    if (running != null && !Objects.equals(running.runtime().config() == null ? null : running.runtime().config().machine(),
        config.machine())) {
      LOG.infof("machine %s: its identity changed (serial or DNS name); starting it anew", key);
      stopMachine(key);
      running = null;
    }
    if (running == null) {
      starting.put(key, new Start(file, key, config));
    } else {
      updateMachine(running, file, config, started);
    }
  }

  /** What keeps a config from running on this host beside the other machines. */
  private List<String> hostProblems(Path file, String key, MachineConfig config) {
    List<String> problems = new ArrayList<>();
    machineOfFile.forEach((otherFile, machine) -> {
      if (machine.equals(key) && !otherFile.equals(file)) {
        problems.add(file.getFileName() + ": machine " + key + " is already declared in " + otherFile.getFileName());
      }
    });
    Map<String, MachineConfig> others = new LinkedHashMap<>();
    machines.values().forEach(other -> others.put(other.key(), other.runtime().config()));
    starting.values().forEach(other -> others.put(other.key(), other.config()));
    others.forEach((other, otherConfig) -> {
      if (!other.equals(key) && otherConfig != null && otherConfig.machine().serial() == config.machine().serial()) {
        problems.add("machine " + key + ": serial " + config.machine().serial() + " is already used by machine " + other
            + " on this host; serial numbers are unique");
      }
    });
    MachineConfig.Listener listener = config.listener();
    if (listener == null) {
      others.entrySet().stream()
          .filter(other -> !other.getKey().equals(key) && other.getValue() != null && other.getValue().listener() == null)
          .findFirst()
          .ifPresent(other -> problems.add("machine " + key + " has no listener of its own and the host's port already serves"
              + " machine " + other.getKey() + "; give each machine on a shared host a listener (address and port)"));
    } else {
      String holder = listeners.holder(listener);
      if (holder == null) {
        holder = starting.values().stream().filter(other -> !other.key().equals(key) && listener.equals(other.config().listener()))
            .map(Start::key).findFirst().orElse(null);
      }
      if (holder != null && !holder.equals(key)) {
        problems.add("machine " + key + ": listener " + MachineListeners.describe(listener) + " is already used by machine " + holder);
      }
      if (listener.port() <= 0 || listener.port() > 65535) {
        problems.add("machine " + key + ": listener port " + listener.port() + " is not a TCP port (1-65535)");
      }
    }
    return problems;
  }

  private Started prepare(Start start) {
    long startedNanos = System.nanoTime();
    MachineRuntime runtime = new MachineRuntime(platform, resources, machineSettings(), id -> metrics.latency(start.key(), id));
    try {
      MachineRuntime.ApplyResult result = runtime.apply(start.config());
      if (start.config().listener() != null) {
        listeners.bind(start.key(), start.config().listener());
      }
      return new Started(start, System.nanoTime() - startedNanos, runtime, result, List.of());
    } catch (InvalidConfigException e) {
      runtime.close();
      return new Started(start, 0, null, null, e.problems());
    } catch (RuntimeException e) {
      runtime.close();
      return new Started(start, 0, null, null, List.of(String.valueOf(e.getMessage())));
    }
  }

  private void register(Started started) {
    Start start = started.start();
    if (started.runtime() == null) {
      reject(start.file(), start.key(), started.problems());
      return;
    }
    if (!serving) {
      if (start.config().listener() != null) {
        listeners.unbind(start.config().listener());
      }
      started.runtime().close();
      return;
    }
    HostedMachine machine = new HostedMachine(start.key(), started.runtime(), start.file());
    machine.listener(start.config().listener());
    machine.lastReload(Reload.took(started.result(), started.tookNanos()));
    machines.put(start.key(), machine);
    rejected.remove(start.file());
    metrics.sync(start.key(), started.runtime());
    machine.runtime().log().engine(Level.INFO, String.format("started (serial %d) from %s%s: %d gears in %d ms",
        start.config().machine().serial(), start.file().getFileName(), start.config().listener() == null ? "" : ", answering at "
            + MachineListeners.describe(start.config().listener()), started.result().added(),
        machine.lastReload().tookMicros() / 1000));
  }

  private void updateMachine(HostedMachine machine, Path file, MachineConfig config, long started) {
    MachineConfig.Listener before = machine.listener();
    MachineConfig.Listener after = config.listener();
    try {
      if (after != null && !after.equals(before)) {
        listeners.bind(machine.key(), after);
      }
      MachineRuntime.ApplyResult result = machine.runtime().apply(config);
      if (before != null && !before.equals(after)) {
        listeners.unbind(before);
      }
      machine.listener(after);
      machine.source(file);
      machine.lastReload(Reload.applied(result, started));
      rejected.remove(file);
      metrics.sync(machine.key(), machine.runtime());
      machine.runtime().log().engine(Level.INFO, String.format("config %s applied: %d gears added, %d updated, %d removed,"
          + " %d unchanged", file.getFileName(), result.added(), result.updated(), result.removed(), result.unchanged()));
    } catch (InvalidConfigException e) {
      rollBackListener(before, after);
      reject(file, machine.key(), e.problems());
    } catch (IllegalArgumentException | IllegalStateException e) {
      rollBackListener(before, after);
      reject(file, machine.key(), List.of(e.getMessage()));
    }
  }

  private void rollBackListener(MachineConfig.Listener before, MachineConfig.Listener after) {
    if (after != null && !after.equals(before)) {
      listeners.unbind(after);
    }
  }

  /** A running machine keeps its config and reports the problems; a machine that does not run is listed as rejected. */
  private void reject(Path file, String key, List<String> problems) {
    HostedMachine running = key == null ? null : machines.get(key);
    if (running != null && file.equals(running.source())) {
      running.lastReload(Reload.rejected(problems));
      running.runtime().log().engine(Level.ERROR, "config " + file.getFileName() + " rejected, the running config stays: "
          + String.join("; ", problems));
    } else {
      rejected.put(file, new Rejected(file, key, List.copyOf(problems)));
      LOG.errorf("machine config %s rejected%s: %s", file.getFileName(), key == null ? "" : " (machine " + key + ")",
          String.join("; ", problems));
    }
  }

  private void stopMachine(String key) {
    HostedMachine machine = machines.remove(key);
    if (machine == null) {
      return;
    }
    if (machine.listener() != null) {
      listeners.unbind(machine.listener());
    }
    machine.runtime().close();
    metrics.remove(key);
    LOG.infof("machine %s stopped", key);
  }

  private MachineRuntime.Settings machineSettings() {
    int workers = settings.workers().orElse(Math.max(2, Runtime.getRuntime().availableProcessors()));
    return new MachineRuntime.Settings(workers, (long) settings.allocationLimitMebibytes() << 20, settings.journalHops(),
        settings.deadLettersKept(), settings.logLinesPerSecond(), settings.peerPort(), (long) settings.logKibibytes() << 10,
        settings.movingTargetPatience(), settings.fullMailboxPatience());
  }

  /** The machine a request is for: the one listening where it arrived, or on the host's port the machine without a listener. */
  public HostedMachine serving(HttpServerRequest request) {
    String key = listeners == null ? null : listeners.machineAt(request.localAddress());
    if (key != null) {
      return machines.get(key);
    }
    return machineAtHostPort();
  }

  /** The machine without a listener of its own, which answers at the host's port; null when every machine has one. */
  public HostedMachine machineAtHostPort() {
    return machines.values().stream().filter(machine -> machine.listener() == null).findFirst().orElse(null);
  }

  /** Whether a request arrived at the host's own port rather than at a machine's listener. */
  public boolean atHostPort(HttpServerRequest request) {
    return listeners == null || listeners.machineAt(request.localAddress()) == null;
  }

  public HostState state() {
    Map<String, HostedMachine> sorted = new LinkedHashMap<>();
    machines.keySet().stream().sorted().forEach(key -> sorted.put(key, machines.get(key)));
    return new HostState(List.copyOf(sorted.values()), rejected.values().stream()
        .sorted(Comparator.comparing(r -> r.file().toString())).toList(), resources.budgets());
  }

  /** The machines this host runs and the config files it rejected. */
  public record HostState(List<HostedMachine> machines, List<Rejected> rejected, HostBudgets budgets) {
  }

  public HostedMachine machine(String key) {
    return machines.get(key);
  }

  public boolean hasConfig() {
    return source != null;
  }

  public boolean runsDirectory() {
    return source != null && source.isDirectory();
  }

  public JsPlatform platform() {
    return platform;
  }

  public TrackFollower trackFollower() {
    return trackFollower;
  }

  public EngineSettings settings() {
    return settings;
  }
}
