package io.erlmachine.engine.runtime;

import java.lang.System.Logger.Level;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BooleanSupplier;

/**
 * One running gear: an actor with a bounded mailbox that handles one message at a time on the
 * shared worker pool, supervised OTP-style. Everything that touches the behavior (messages,
 * snapshots, restarts, code swaps) runs serially in {@link #run()}.
 */
public final class GearCell implements Inlet {
  private static final int BATCH = 64;

  /** Whether the gear is handling messages. */
  public enum Status { RUNNING, STOPPED, REMOVED }

  /** An accepted message's fate, for external senders. */
  public enum Delivery { ACCEPTED, FULL, DEAD_LETTERED, DUPLICATE }

  private final GearId id;
  private final RuntimeServices services;
  private final BooleanSupplier engaged;
  private final java.util.concurrent.Executor lane;
  private final LatencyRecorder latency;
  private final Mailbox mailbox;
  private final Watchdog.Watch watch;
  private final Queue<Runnable> control = new ConcurrentLinkedQueue<>();
  private final ArrayDeque<CollectingEmitter.Pending> outbox = new ArrayDeque<>();
  private final AtomicBoolean scheduled = new AtomicBoolean();
  private final AtomicLong processed = new AtomicLong();
  private final AtomicLong failed = new AtomicLong();
  private final AtomicLong restarts = new AtomicLong();
  private final AtomicLong skippedTicks = new AtomicLong();
  private final AtomicLong ticksIssued = new AtomicLong();
  private volatile Map<String, Inlet> outputs = Map.of();
  private volatile boolean waiting;
  /** A message taken from the mailbox and not yet handled. */
  private volatile boolean handling;
  /** The outbox's size as other threads may read it (the outbox itself is the gear's own). */
  private volatile int outgoing;
  private volatile Status status = Status.RUNNING;
  private volatile String lastFailure;
  private volatile GearDefinition definition;
  private RestartIntensity intensity;
  private GearBehavior behavior;
  private ScheduledFuture<?> ticks;

  /** A gear that runs on {@code lane}, shared by the gears of its gearbox (they share a JavaScript context). */
  public GearCell(GearId id, GearDefinition definition, RestartIntensity intensity, RuntimeServices services,
                  BooleanSupplier engaged, java.util.concurrent.Executor lane) {
    this.id = id;
    this.lane = lane;
    this.definition = definition;
    this.intensity = intensity;
    this.services = services;
    this.engaged = engaged;
    this.latency = services.latency().apply(id);
    this.mailbox = new Mailbox(definition.mailboxCapacity());
    this.watch = services.watchdog().newWatch();
    startTicks();
  }

  public GearId id() {
    return id;
  }

  public GearDefinition definition() {
    return definition;
  }

  public Status status() {
    return status;
  }

  public String lastFailure() {
    return lastFailure;
  }

  public GearCounters counters() {
    return new GearCounters(processed.get(), failed.get(), restarts.get(), skippedTicks.get(), mailbox.size(),
        mailbox.capacity());
  }

  /** Messages the gear has and has not finished: in its mailbox, being handled, emitted and not yet passed on. */
  public int unfinished() {
    return mailbox.size() + (handling ? 1 : 0) + outgoing;
  }

  /** Where this gear's output goes, by output name. */
  public void rewire(Map<String, Inlet> newOutputs) {
    this.outputs = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(newOutputs));
  }

  public List<String> outputNames() {
    return List.copyOf(outputs.keySet());
  }

  /** A message from outside the gearbox (HTTP, another machine, a test). */
  public Delivery deliver(Message message) {
    if (status != Status.RUNNING) {
      deadLetter(message, "gear " + id + " is " + status.name().toLowerCase() + (lastFailure == null ? "" : ": " + lastFailure));
      return Delivery.DEAD_LETTERED;
    }
    if (!mailbox.offer(message)) {
      return Delivery.FULL;
    }
    schedule();
    return Delivery.ACCEPTED;
  }

  @Override
  public boolean acceptFrom(Message message, GearCell sender) {
    if (status != Status.RUNNING) {
      deadLetter(message, "gear " + id + " is " + status.name().toLowerCase() + (lastFailure == null ? "" : ": " + lastFailure));
      return true;
    }
    if (!mailbox.offerOrWait(message, sender)) {
      return false;
    }
    schedule();
    return true;
  }

  /** Called when an inlet this gear waits for has room again. */
  public void wake() {
    waiting = false;
    schedule();
  }

  /** Makes the gear look at its mailbox, for example after its clutch engages. */
  public void schedule() {
    if (scheduled.compareAndSet(false, true)) {
      lane.execute(this::run);
    }
  }

  /** The gear's state as JSON, taken between two messages. */
  public CompletableFuture<String> snapshot() {
    CompletableFuture<String> result = new CompletableFuture<>();
    onGearThread(() -> {
      if (status != Status.RUNNING) {
        result.complete("null");
        return;
      }
      try {
        ensureBehavior();
        result.complete(behavior.snapshot());
      } catch (RuntimeException e) {
        result.completeExceptionally(e);
      }
    });
    return result;
  }

  /** Restarts the gear with fresh state and a fresh restart budget (also revives a stopped gear). */
  public CompletableFuture<Void> restart() {
    CompletableFuture<Void> done = new CompletableFuture<>();
    onGearThread(() -> {
      closeBehavior();
      intensity.reset();
      status = Status.RUNNING;
      lastFailure = null;
      services.log().engine(id, Level.INFO, "restarted on request, with fresh state and restart budget");
      done.complete(null);
    });
    return done;
  }

  /** Swaps in new code and settings; keeps the mailbox and counters. */
  public CompletableFuture<Void> update(GearDefinition newDefinition, RestartIntensity newIntensity) {
    CompletableFuture<Void> done = new CompletableFuture<>();
    onGearThread(() -> {
      boolean codeChanged = !newDefinition.fingerprint().equals(definition.fingerprint());
      definition = newDefinition;
      intensity = newIntensity;
      mailbox.resize(newDefinition.mailboxCapacity());
      if (codeChanged || status == Status.STOPPED) {
        closeBehavior();
        status = Status.RUNNING;
        lastFailure = null;
      }
      stopTicks();
      startTicks();
      done.complete(null);
    });
    return done;
  }

  /** Retires the gear for good; whatever it still holds is dead-lettered with the reason. */
  public CompletableFuture<Void> remove(String reason) {
    CompletableFuture<Void> done = new CompletableFuture<>();
    onGearThread(() -> {
      stopTicks();
      status = Status.REMOVED;
      lastFailure = reason;
      closeBehavior();
      services.watchdog().release(watch);
      List<GearCell> wake = new ArrayList<>();
      List<Message> left = new ArrayList<>(mailbox.drain(wake));
      outbox.forEach(p -> left.add(p.message()));
      outbox.clear();
      deadLetterAll(left, reason);
      outgoing = 0;
      wake.forEach(GearCell::wake);
      done.complete(null);
    });
    return done;
  }

  /** Releases the gear's context; only once no worker runs the gear any more (engine shutdown). */
  public void release() {
    stopTicks();
    closeBehavior();
    services.watchdog().release(watch);
  }

  private void onGearThread(Runnable task) {
    control.add(task);
    schedule();
  }

  private void run() {
    try {
      Runnable task;
      while ((task = control.poll()) != null) {
        task.run();
      }
      if (status == Status.STOPPED) {
        deadLetterMailbox();
        return;
      }
      if (status != Status.RUNNING || !flushOutbox()) {
        return;
      }
      List<GearCell> wake = new ArrayList<>();
      for (int i = 0; i < BATCH && engaged.getAsBoolean() && status == Status.RUNNING; i++) {
        handling = true;
        Message message = mailbox.poll(wake);
        if (message == null) {
          handling = false;
          break;
        }
        wake.forEach(GearCell::wake);
        wake.clear();
        process(message);
        handling = false;
        if (!flushOutbox()) {
          return;
        }
      }
    } finally {
      scheduled.set(false);
      if (hasWork()) {
        schedule();
      }
    }
  }

  private boolean hasWork() {
    if (!control.isEmpty()) {
      return true;
    }
    if (status != Status.RUNNING) {
      return status == Status.STOPPED && !mailbox.isEmpty();
    }
    if (!outbox.isEmpty()) {
      return !waiting;
    }
    return engaged.getAsBoolean() && !mailbox.isEmpty();
  }

  private boolean flushOutbox() {
    while (!outbox.isEmpty()) {
      CollectingEmitter.Pending next = outbox.peekFirst();
      waiting = true;
      if (!next.target().acceptFrom(next.message(), this)) {
        return false;
      }
      waiting = false;
      outbox.pollFirst();
      outgoing = outbox.size();
    }
    return true;
  }

  private void process(Message message) {
    long start = System.nanoTime();
    boolean watching = false;
    try {
      ensureBehavior();
      RuntimeServices.MessageLimits limits = services.limits().get();
      watch.begin(behavior, limits.timeoutMillis(), limits.allocationLimitBytes());
      watching = true;
      CollectingEmitter emitter = new CollectingEmitter(outputs, limits.maxMessageBytes(), services.trackingNumbers());
      behavior.receive(message, emitter);
      watch.end();
      if (watch.breach() != null) {
        throw new GearFailure(watch.breach());
      }
      behavior.afterMessage();
      outbox.addAll(emitter.pending());
      outgoing = outbox.size();
      services.replies().complete(message, emitter.firstEmitted());
      processed.incrementAndGet();
      long nanos = System.nanoTime() - start;
      latency.record(nanos);
      services.journal().record(message.tracking(), hop(Hop.Outcome.PROCESSED, nanos, null));
    } catch (Throwable failure) {
      watch.end();
      String reason = watching && watch.breach() != null ? watch.breach() : describe(failure);
      crash(message, reason, System.nanoTime() - start);
    }
  }

  private void crash(Message message, String reason, long nanos) {
    failed.incrementAndGet();
    services.replies().fail(message, reason);
    lastFailure = reason;
    services.journal().record(message.tracking(), hop(Hop.Outcome.FAILED, nanos, reason));
    recordDeadLetter(message, reason);
    closeBehavior();
    if (intensity.allowRestart(System.nanoTime())) {
      long count = restarts.incrementAndGet();
      services.log().engine(id, Level.WARNING, "crashed on message " + message.tracking() + " (dead-lettered), restarted (restart "
          + count + "): " + reason);
    } else {
      status = Status.STOPPED;
      lastFailure = "more restarts than its gearbox's restart policy allows; last failure: " + reason;
      services.log().engine(id, Level.ERROR, "crashed on message " + message.tracking() + " (dead-lettered) and is stopped: "
          + lastFailure);
      stopTicks();
    }
  }

  private void deadLetterMailbox() {
    List<GearCell> wake = new ArrayList<>();
    deadLetterAll(mailbox.drain(wake), "gear " + id + " is stopped: " + lastFailure);
    wake.forEach(GearCell::wake);
  }

  /** Dead-letters one message and says so in the machine's log (rate-limited there). */
  private void deadLetter(Message message, String reason) {
    recordDeadLetter(message, reason);
    services.log().deadLetter(id, message.tracking(), reason);
  }

  /** Dead-letters messages left behind all at once, with one line in the machine's log. */
  private void deadLetterAll(List<Message> messages, String reason) {
    messages.forEach(message -> recordDeadLetter(message, reason));
    if (!messages.isEmpty()) {
      services.log().engine(id, Level.WARNING, messages.size() + " messages dead-lettered: " + reason);
    }
  }

  private void recordDeadLetter(Message message, String reason) {
    services.deadLetters().add(id, readable(message), reason);
    services.journal().record(message.tracking(), hop(Hop.Outcome.DEAD_LETTERED, 0, reason));
  }

  /** A dead letter is read from other threads, so it keeps text; a value whose context is gone is kept as null. */
  private static Message readable(Message message) {
    try {
      return message.asText();
    } catch (RuntimeException lost) {
      return new Message(message.tracking(), "null", message.headers());
    }
  }

  private Hop hop(Hop.Outcome outcome, long nanos, String detail) {
    return new Hop(services.machine(), id.gearbox(), id.gear(), Instant.now(), outcome, nanos / 1000, detail);
  }

  private void ensureBehavior() {
    if (behavior == null) {
      behavior = definition.factory().create();
    }
  }

  private void closeBehavior() {
    if (behavior != null) {
      try {
        behavior.close();
      } catch (Exception e) {
        // Closing a crashed behavior can fail again; its resources go with it either way.
      }
      behavior = null;
    }
  }

  private void startTicks() {
    long interval = definition.tickIntervalMillis();
    if (interval > 0) {
      ticks = services.ticker().scheduleAtFixedRate(this::tick, interval, interval, TimeUnit.MILLISECONDS);
    }
  }

  private void stopTicks() {
    if (ticks != null) {
      ticks.cancel(false);
      ticks = null;
    }
  }

  private void tick() {
    if (status != Status.RUNNING || !engaged.getAsBoolean()) {
      return;
    }
    Message tick = new Message(services.trackingNumbers().next(), "{\"tick\":" + ticksIssued.incrementAndGet() + ",\"at\":\"" + Instant.now() + "\"}", Map.of());
    if (mailbox.offer(tick)) {
      schedule();
    } else {
      skippedTicks.incrementAndGet();
    }
  }

  private static String describe(Throwable failure) {
    if (failure instanceof GearFailure) {
      return failure.getMessage();
    }
    if (failure instanceof StackOverflowError) {
      return "stack overflow";
    }
    if (failure instanceof OutOfMemoryError) {
      return "out of memory";
    }
    return failure.getClass().getSimpleName() + ": " + failure.getMessage();
  }
}
