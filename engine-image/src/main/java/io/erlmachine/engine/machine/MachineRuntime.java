package io.erlmachine.engine.machine;

import io.erlmachine.api.config.MachineConfig;
import io.erlmachine.api.config.MachineConfig.GearConfig;
import io.erlmachine.api.config.MachineConfig.GearboxConfig;
import io.erlmachine.api.config.MachineConfig.ShaftConfig;
import io.erlmachine.engine.js.GearboxContext;
import io.erlmachine.engine.js.JsGear;
import io.erlmachine.engine.js.JsPlatform;
import io.erlmachine.engine.js.RetainedHeapLimit;
import io.erlmachine.engine.logs.MachineLog;
import io.erlmachine.engine.prototypes.Prototypes;
import io.erlmachine.engine.runtime.DeadLetters;
import io.erlmachine.engine.runtime.GearCell;
import io.erlmachine.engine.runtime.GearDefinition;
import io.erlmachine.engine.runtime.GearFailure;
import io.erlmachine.engine.runtime.GearId;
import io.erlmachine.engine.runtime.Hop;
import io.erlmachine.engine.runtime.Inlet;
import io.erlmachine.engine.runtime.Journal;
import io.erlmachine.engine.runtime.LatencyRecorder;
import io.erlmachine.engine.runtime.Message;
import io.erlmachine.engine.runtime.Replies;
import io.erlmachine.engine.runtime.RestartIntensity;
import io.erlmachine.engine.runtime.RuntimeServices;
import io.erlmachine.engine.runtime.RuntimeServices.MessageLimits;
import io.erlmachine.engine.runtime.SerialLane;
import io.erlmachine.engine.runtime.TrackingNumbers;
import io.erlmachine.engine.runtime.Watchdog;
import io.erlmachine.engine.selftest.SelfTestRunner;
import io.erlmachine.engine.transmission.CongestedTargets;
import io.erlmachine.engine.transmission.MovingTargets;
import io.erlmachine.engine.transmission.RecentDeliveries;
import io.erlmachine.engine.transmission.RouteOutlet;
import java.net.http.HttpClient;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.ScheduledExecutorService;
import java.util.function.Function;

/**
 * A machine's gearboxes, running. {@link #apply} loads a config and, on later calls, swaps in
 * only what changed: unchanged gears keep their state and mailboxes; a config that fails
 * validation changes nothing.
 */
public final class MachineRuntime implements AutoCloseable {

  /** Engine settings that are not part of the machine config. */
  public record Settings(int workers, long allocationLimitBytes, int journalHops, int deadLettersKept, int logLinesPerSecond,
                         int peerPort, long logBytesKept, Duration movingTargetPatience, Duration fullMailboxPatience) {
    /** The default of {@code erlmachine.engine.log-kibibytes}. */
    public static final long DEFAULT_LOG_BYTES_KEPT = 256L << 10;
    /** The default of {@code erlmachine.engine.moving-target-patience}. */
    public static final Duration DEFAULT_MOVING_TARGET_PATIENCE = Duration.ofSeconds(90);
    /** The default of {@code erlmachine.engine.full-mailbox-patience}. */
    public static final Duration DEFAULT_FULL_MAILBOX_PATIENCE = Duration.ofSeconds(60);

    public Settings(int workers, long allocationLimitBytes, int journalHops, int deadLettersKept, int logLinesPerSecond, int peerPort) {
      this(workers, allocationLimitBytes, journalHops, deadLettersKept, logLinesPerSecond, peerPort, DEFAULT_LOG_BYTES_KEPT,
          DEFAULT_MOVING_TARGET_PATIENCE, DEFAULT_FULL_MAILBOX_PATIENCE);
    }
  }

  /** What a successful apply changed. */
  public record ApplyResult(int added, int updated, int removed, int unchanged) {
  }

  private final Prototypes prototypes;
  private final Settings settings;
  private final HostResources host;
  private final boolean ownsHost;
  private final ExecutorService workers;
  private final ScheduledExecutorService ticker;
  private final Watchdog watchdog;
  private final Journal journal;
  private final DeadLetters deadLetters;
  private final MachineLog log;
  private final SelfTestRunner selfTestRunner;
  private final Function<GearId, LatencyRecorder> latency;
  private final RetainedHeapLimit retainedHeap;
  private final ConfigValidator validator = new ConfigValidator();
  /** The context each gearbox gets from the config being applied, chosen by {@link #define}. */
  private final Map<String, GearboxContext> chosenContexts = new LinkedHashMap<>();
  private volatile MachineConfig config;
  private volatile MessageLimits limits;
  private volatile boolean engaged = true;
  private volatile Map<String, GearboxRuntime> gearboxes = Map.of();
  private final Replies replies = new Replies();
  private final RecentDeliveries recentDeliveries;
  private final Map<String, RouteOutlet> outlets = new java.util.concurrent.ConcurrentHashMap<>();
  private final MovingTargets movingTargets;
  private final CongestedTargets congestedTargets;
  private HttpClient http;
  private RuntimeServices services;

  /** A machine with threads of its own, for a process that runs just this machine (tests, benchmarks). */
  public MachineRuntime(JsPlatform platform, Settings settings, Function<GearId, LatencyRecorder> latency) {
    this(platform, new HostResources(settings.workers(), HostBudgets.Totals.forOneMachine(settings.journalHops(),
        settings.deadLettersKept())), true, settings, latency);
  }

  /** A machine on an engine host, sharing the host's threads, watchdog and HTTP client with the other machines. */
  public MachineRuntime(JsPlatform platform, HostResources host, Settings settings, Function<GearId, LatencyRecorder> latency) {
    this(platform, host, false, settings, latency);
  }

  private MachineRuntime(JsPlatform platform, HostResources host, boolean ownsHost, Settings settings,
                         Function<GearId, LatencyRecorder> latency) {
    this.settings = settings;
    this.latency = latency;
    this.host = host;
    this.ownsHost = ownsHost;
    this.workers = host.workers();
    this.ticker = host.ticker();
    this.watchdog = host.watchdog();
    this.selfTestRunner = new SelfTestRunner(watchdog);
    HostBudgets budgets = host.budgets();
    budgets.join();
    this.journal = new Journal(budgets.journalHops(settings.journalHops()));
    this.deadLetters = new DeadLetters(budgets.deadLetters(settings.deadLettersKept()), budgets.deadLetterBytes());
    this.recentDeliveries = new RecentDeliveries(budgets.deliveryWindow());
    this.movingTargets = new MovingTargets(settings.movingTargetPatience());
    this.congestedTargets = new CongestedTargets(settings.fullMailboxPatience());
    this.log = new MachineLog(budgets.logBytes(settings.logBytesKept()));
    this.prototypes = new Prototypes(platform, log);
    this.retainedHeap = budgets.totals().retainedHeapBytes() <= 0 || !platform.measuresRetainedHeap() ? RetainedHeapLimit.none()
        : new RetainedHeapLimit(() -> budgets.retainedHeapBytes(config == null ? 0 : config.limits().maxRetainedHeapBytes()));
  }

  public synchronized ApplyResult apply(MachineConfig newConfig) throws InvalidConfigException {
    List<String> problems = new ArrayList<>(validator.problems(newConfig));
    if (config != null && !config.machine().equals(newConfig.machine())) {
      problems.add("machine: this engine runs " + config.machine().name() + " (serial " + config.machine().serial()
          + "); a config for another machine needs a new engine");
    }
    if (!problems.isEmpty()) {
      throw new InvalidConfigException(problems);
    }
    Map<GearId, GearDefinition> definitions = define(newConfig, problems);
    if (!problems.isEmpty()) {
      definitions.forEach((id, definition) -> {
        GearCell running = cell(id);
        if ((running == null || running.definition() != definition) && definition.factory() instanceof PreparedFactory prepared) {
          prepared.discard();
        }
      });
      discardNewContexts();
      throw new InvalidConfigException(problems);
    }
    if (services == null) {
      log.named(newConfig.machine().namespace() + "/" + newConfig.machine().name());
      services = new RuntimeServices(newConfig.machine().name(), workers, ticker, watchdog, journal, deadLetters,
          new TrackingNumbers(newConfig.machine().serial()), () -> limits, latency, replies, log);
      http = host.http();
    }
    MachineConfig previous = config;
    limits = new MessageLimits(newConfig.limits().maxMessageBytes(), newConfig.limits().messageTimeoutMillis(),
        settings.allocationLimitBytes());
    ApplyResult result = swap(newConfig, definitions);
    if (previous == null || !previous.clutch().equals(newConfig.clutch())) {
      engage("Engaged".equals(newConfig.clutch()));
    }
    config = newConfig;
    return result;
  }

  /**
   * Definitions for gears that are new or changed; their JavaScript compiled (as module instances
   * in their gearbox's context), errors collected. A gearbox keeps its context unless its tools or
   * statement budget change; then its gears move to a new one.
   */
  private Map<GearId, GearDefinition> define(MachineConfig newConfig, List<String> problems) {
    Map<GearId, GearDefinition> definitions = new LinkedHashMap<>();
    chosenContexts.clear();
    for (GearboxConfig gearbox : newConfig.gearboxes() == null ? List.<GearboxConfig>of() : newConfig.gearboxes()) {
      Map<String, String> tools = gearbox.tools() == null ? Map.of() : gearbox.tools();
      GearboxRuntime current = gearboxes.get(gearbox.name());
      GearboxContext context = current != null && current.context().serves(tools, newConfig.limits().statementLimit())
          ? current.context() : prototypes.newContext(tools, newConfig.limits().statementLimit(), retainedHeap);
      chosenContexts.put(gearbox.name(), context);
      JsGear.Settings jsSettings = new JsGear.Settings(newConfig.machine().name(), newConfig.applicationData() == null ? Map.of()
          : newConfig.applicationData(), gearbox.tools() == null ? Map.of() : gearbox.tools(), newConfig.limits().statementLimit(),
          settings.logLinesPerSecond(), newConfig.outboundHosts() == null ? List.of() : newConfig.outboundHosts(),
          newConfig.limits().maxMessageBytes(), newConfig.limits().messageTimeoutMillis());
      for (GearConfig gear : gearbox.gears()) {
        GearId id = new GearId(gearbox.name(), gear.name());
        GearDefinition definition = prototypes.define(id, gear, newConfig.limits().mailboxCapacity(), jsSettings, context);
        GearCell running = cell(id);
        if (running != null && running.definition().fingerprint().equals(definition.fingerprint())) {
          definitions.put(id, running.definition());
          continue;
        }
        try {
          definitions.put(id, withFactory(definition, new PreparedFactory(definition.factory().create(), definition.factory())));
        } catch (GearFailure e) {
          problems.add("gearbox " + gearbox.name() + ", gear " + gear.name() + ": " + e.getMessage());
        }
      }
    }
    return definitions;
  }

  private ApplyResult swap(MachineConfig newConfig, Map<GearId, GearDefinition> definitions) {
    int added = 0;
    int updated = 0;
    int unchanged = 0;
    Map<String, GearboxRuntime> next = new LinkedHashMap<>();
    List<GearCell> retired = new ArrayList<>();
    List<GearboxRuntime> changed = new ArrayList<>();
    for (GearboxConfig gearboxConfig : newConfig.gearboxes() == null ? List.<GearboxConfig>of() : newConfig.gearboxes()) {
      GearboxRuntime gearbox = gearboxes.getOrDefault(gearboxConfig.name(),
          new GearboxRuntime(gearboxConfig.name(), new SerialLane(workers)));
      gearbox.context(chosenContexts.get(gearbox.name()));
      GearboxConfig before = gearbox.config();
      boolean policyChanged = before == null || before.maxRestarts() != gearboxConfig.maxRestarts()
          || before.restartWindowMillis() != gearboxConfig.restartWindowMillis();
      Map<String, GearCell> cells = new LinkedHashMap<>();
      boolean gearsChanged = before == null;
      for (GearConfig gear : gearboxConfig.gears()) {
        GearId id = new GearId(gearbox.name(), gear.name());
        GearDefinition definition = definitions.get(id);
        GearCell cell = gearbox.cells().get(gear.name());
        RestartIntensity intensity = new RestartIntensity(gearboxConfig.maxRestarts(), gearboxConfig.restartWindowMillis());
        if (cell == null) {
          cell = new GearCell(id, definition, intensity, services, () -> engaged && gearbox.engaged(), gearbox.lane());
          added++;
          gearsChanged = true;
        } else if (policyChanged || !sameSettings(cell.definition(), definition)) {
          cell.update(definition, intensity);
          updated++;
          gearsChanged = true;
        } else {
          unchanged++;
        }
        cells.put(gear.name(), cell);
      }
      gearbox.cells().forEach((name, cell) -> {
        if (!cells.containsKey(name)) {
          retired.add(cell);
        }
      });
      gearsChanged |= !gearbox.cells().keySet().equals(cells.keySet()) || !sameTests(before, gearboxConfig);
      gearbox.config(gearboxConfig);
      gearbox.cells(java.util.Collections.unmodifiableMap(cells));
      if (before == null || !java.util.Objects.equals(before.clutch(), gearboxConfig.clutch())) {
        gearbox.engaged(!"Disengaged".equals(gearboxConfig.clutch()));
      }
      next.put(gearbox.name(), gearbox);
      if (gearsChanged) {
        changed.add(gearbox);
      }
    }
    gearboxes.forEach((name, gearbox) -> {
      if (!next.containsKey(name)) {
        retired.addAll(gearbox.cells().values());
      }
    });
    Map<String, RouteOutlet> routes = routes(newConfig);
    next.values().forEach(gearbox -> wire(gearbox, gearbox.config().shafts(), routes));
    gearboxes = next;
    retired.forEach(cell -> cell.remove("gear " + cell.id() + " was removed from the machine config"));
    gearboxes.forEach((name, gearbox) -> {
      if (!next.containsKey(name)) {
        gearbox.lane().execute(gearbox::closeContext);
      }
    });
    chosenContexts.clear();
    routes.values().forEach(RouteOutlet::pump);
    changed.forEach(gearbox -> gearbox.lane().execute(() -> runSelfTests(gearbox)));
    next.values().forEach(gearbox -> gearbox.cells().values().forEach(GearCell::schedule));
    return new ApplyResult(added, updated, retired.size(), unchanged);
  }

  /** The definition with a factory that always makes a new behavior (self-tests must not take a gear's prepared one). */
  private static GearDefinition fresh(GearDefinition definition) {
    return definition.factory() instanceof PreparedFactory prepared ? withFactory(definition, prepared.underlying()) : definition;
  }

  private static GearDefinition withFactory(GearDefinition definition, io.erlmachine.engine.runtime.GearFactory factory) {
    return new GearDefinition(definition.name(), definition.prototype(), definition.mailboxCapacity(),
        definition.tickIntervalMillis(), definition.fingerprint(), factory);
  }

  private static boolean sameSettings(GearDefinition running, GearDefinition wanted) {
    return running.fingerprint().equals(wanted.fingerprint()) && running.mailboxCapacity() == wanted.mailboxCapacity();
  }

  private static boolean sameTests(GearboxConfig before, GearboxConfig after) {
    return before != null && java.util.Objects.equals(before.selfTests(), after.selfTests());
  }

  private static void wire(GearboxRuntime gearbox, List<ShaftConfig> shafts, Map<String, RouteOutlet> routes) {
    Map<String, Map<String, Inlet>> outputs = new LinkedHashMap<>();
    gearbox.cells().keySet().forEach(name -> outputs.put(name, new LinkedHashMap<>()));
    for (ShaftConfig shaft : shafts == null ? List.<ShaftConfig>of() : shafts) {
      outputs.get(shaft.from()).put(shaft.to(), gearbox.cells().get(shaft.to()));
    }
    routes.forEach((transmission, outlet) -> {
      if (outlet.route().gearbox().equals(gearbox.name())) {
        outputs.get(outlet.route().gear()).put(transmission, outlet);
      }
    });
    gearbox.cells().forEach((name, cell) -> cell.rewire(outputs.get(name)));
  }

  /** The outlets of this config's routes: kept (and updated) when the transmission stays, closed when it goes. */
  private Map<String, RouteOutlet> routes(MachineConfig newConfig) {
    Map<String, RouteOutlet> wanted = new LinkedHashMap<>();
    for (MachineConfig.RouteConfig route : newConfig.routes() == null ? List.<MachineConfig.RouteConfig>of() : newConfig.routes()) {
      RouteOutlet outlet = outlets.get(route.transmission());
      if (outlet == null) {
        outlet = new RouteOutlet(route, newConfig.limits().mailboxCapacity(), services, http, this::cell, () -> engaged, settings.peerPort(),
            movingTargets, congestedTargets);
      } else {
        outlet.update(route);
      }
      wanted.put(route.transmission(), outlet);
    }
    outlets.forEach((name, outlet) -> {
      if (!wanted.containsKey(name)) {
        outlet.close();
      }
    });
    outlets.clear();
    outlets.putAll(wanted);
    return wanted;
  }

  /** The transmissions leaving this machine, by name. */
  public Map<String, RouteOutlet> outlets() {
    return Map.copyOf(outlets);
  }

  /** Runs a gearbox's self-tests now, on its lane with fresh gear instances, and keeps the results. */
  public CompletableFuture<GearboxRuntime.SelfTestRun> runSelfTests(String gearboxName) {
    GearboxRuntime gearbox = gearboxes.get(gearboxName);
    if (gearbox == null) {
      return CompletableFuture.failedFuture(new IllegalArgumentException("no gearbox named " + gearboxName));
    }
    return CompletableFuture.supplyAsync(() -> runSelfTests(gearbox), gearbox.lane());
  }

  private GearboxRuntime.SelfTestRun runSelfTests(GearboxRuntime gearbox) {
    Map<String, GearCell> cells = gearbox.cells();
    SelfTestRunner.Gears gears = new SelfTestRunner.Gears(name -> fresh(cells.get(name).definition()), name -> cells.get(name).outputNames());
    List<io.erlmachine.api.v1alpha1.spec.SelfTest> tests = gearbox.config().selfTests() == null ? List.of() : gearbox.config().selfTests();
    GearboxRuntime.SelfTestRun run = new GearboxRuntime.SelfTestRun(Instant.now(), selfTestRunner.run(tests, gears, limits));
    gearbox.selfTests(run);
    return run;
  }

  /** Sends a message into a gear from outside; the message gets a tracking number unless it has one. */
  public Sent send(String gearboxName, String gearName, String body, Map<String, String> headers, String tracking) {
    return send(gearboxName, gearName, body, headers, tracking, null, false);
  }

  /**
   * Sends a message that arrived from another machine: a delivery id seen before is dropped as a
   * duplicate (at-least-once delivery); with {@code awaitReply} the returned reply future
   * completes with the first message the gear emits.
   */
  public Sent send(String gearboxName, String gearName, String body, Map<String, String> headers, String tracking,
                   String deliveryId, boolean awaitReply) {
    GearCell cell = cell(new GearId(gearboxName, gearName));
    if (cell == null) {
      return new Sent(null, null, null);
    }
    if (deliveryId != null && recentDeliveries.seen(deliveryId)) {
      journal.record(tracking, new Hop(services.machine(), gearboxName, gearName, Instant.now(), Hop.Outcome.DUPLICATE, 0,
          "delivery " + deliveryId + " was received before"));
      return new Sent(tracking, GearCell.Delivery.DUPLICATE, null);
    }
    if (awaitReply && deliveryId != null) {
      Map<String, String> withReply = new java.util.HashMap<>(headers);
      withReply.put(Replies.REPLY_ID_HEADER, deliveryId);
      headers = withReply;
    }
    if (body.length() > limits.maxMessageBytes()) {
      throw new IllegalArgumentException("the message has " + body.length() + " bytes; this machine's limit is " + limits.maxMessageBytes());
    }
    String number = TrackingNumbers.isValid(tracking) ? tracking : services.trackingNumbers().next();
    Message message = new Message(number, body, headers);
    journal.record(number, new Hop(services.machine(), gearboxName, gearName, Instant.now(), Hop.Outcome.RECEIVED, 0, null));
    java.util.concurrent.CompletableFuture<String> reply = awaitReply && deliveryId != null ? replies.await(deliveryId) : null;
    GearCell.Delivery delivery = cell.deliver(message);
    if (delivery == GearCell.Delivery.FULL) {
      journal.record(number, new Hop(services.machine(), gearboxName, gearName, Instant.now(), Hop.Outcome.REFUSED, 0,
          "mailbox full; the sender was told to retry"));
      if (reply != null) {
        replies.forget(deliveryId);
      }
      return new Sent(number, delivery, null);
    }
    if (deliveryId != null) {
      recentDeliveries.remember(deliveryId);
    }
    return new Sent(number, delivery, reply);
  }

  /** The outcome of {@link #send}: no delivery when the gear does not exist; a reply future when one was asked for. */
  public record Sent(String tracking, GearCell.Delivery delivery, java.util.concurrent.CompletableFuture<String> reply) {
  }

  /** Forgets a reply nobody waits for any more. */
  public void forgetReply(String deliveryId) {
    replies.forget(deliveryId);
  }

  public GearCell cell(GearId id) {
    GearboxRuntime gearbox = gearboxes.get(id.gearbox());
    return gearbox == null ? null : gearbox.cells().get(id.gear());
  }

  public void engage(boolean value) {
    engaged = value;
    if (value) {
      gearboxes.values().forEach(gearbox -> gearbox.cells().values().forEach(GearCell::schedule));
      outlets.values().forEach(RouteOutlet::pump);
    }
  }

  public void engage(String gearboxName, boolean value) {
    GearboxRuntime gearbox = gearboxes.get(gearboxName);
    if (gearbox == null) {
      throw new IllegalArgumentException("no gearbox named " + gearboxName);
    }
    gearbox.engaged(value);
    if (value) {
      gearbox.cells().values().forEach(GearCell::schedule);
    }
  }

  public boolean engaged() {
    return engaged;
  }

  public MachineConfig config() {
    return config;
  }

  public Map<String, GearboxRuntime> gearboxes() {
    return gearboxes;
  }

  public Journal journal() {
    return journal;
  }

  public DeadLetters deadLetters() {
    return deadLetters;
  }

  /** The heap the machine's JavaScript may retain, what it retained when last measured, and how often it was over. */
  public RetainedHeapLimit retainedHeap() {
    return retainedHeap;
  }

  /** The machine's own log: what its gears wrote and what the engine said about it. */
  public MachineLog log() {
    return log;
  }

  /**
   * Messages this machine accepted and has not finished: waiting in a mailbox, being handled, emitted and not yet passed
   * on, or queued and on their way to another machine (a delivery under way or waiting to be retried counts as one).
   */
  public int unfinished() {
    int gears = gearboxes.values().stream().flatMap(gearbox -> gearbox.cells().values().stream()).mapToInt(GearCell::unfinished).sum();
    return gears + outlets.values().stream().mapToInt(RouteOutlet::unfinished).sum();
  }

  /** Loaded, no gearbox degraded, and every gearbox whose self-tests gate readiness passed them. */
  public boolean ready() {
    return config != null && gearboxes.values().stream().allMatch(GearboxRuntime::ready);
  }

  @Override
  public void close() {
    outlets.values().forEach(RouteOutlet::close);
    host.budgets().leave();
    if (ownsHost) {
      host.close();
    }
    int unhandled = gearboxes.values().stream().flatMap(gearbox -> gearbox.cells().values().stream())
        .mapToInt(cell -> cell.counters().mailboxDepth()).sum();
    if (unhandled > 0) {
      log.engine(System.Logger.Level.WARNING, unhandled + " messages were still in gear mailboxes when the machine stopped;"
          + " they were not handled");
    }
    if (ownsHost) {
      gearboxes.values().forEach(gearbox -> gearbox.cells().values().forEach(GearCell::release));
      gearboxes.values().forEach(GearboxRuntime::closeContext);
      return;
    }
    // The host's workers keep running: each gear retires on its own thread, so none is mid-message when its context goes.
    String reason = "machine " + (config == null ? "?" : config.machine().name()) + " stopped";
    CompletableFuture<?>[] retiring = gearboxes.values().stream().flatMap(gearbox -> gearbox.cells().values().stream())
        .map(cell -> cell.remove(reason)).toArray(CompletableFuture[]::new);
    try {
      CompletableFuture.allOf(retiring).get(5, java.util.concurrent.TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException e) {
      System.getLogger(MachineRuntime.class.getName()).log(System.Logger.Level.WARNING,
          "gears of a stopped machine did not retire within 5 s: " + e);
    }
    gearboxes.values().forEach(gearbox -> gearbox.lane().execute(gearbox::closeContext));
  }

  /** Closes the contexts a rejected config would have given its gearboxes. */
  private void discardNewContexts() {
    chosenContexts.forEach((name, context) -> {
      GearboxRuntime running = gearboxes.get(name);
      if (running == null || running.context() != context) {
        context.close();
      }
    });
    chosenContexts.clear();
  }
}
