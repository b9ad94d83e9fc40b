package io.erlmachine.engine.js;

import com.oracle.truffle.api.TruffleContext;
import io.erlmachine.engine.runtime.GearFailure;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeoutException;
import org.graalvm.polyglot.Context;
import org.graalvm.polyglot.EnvironmentAccess;
import org.graalvm.polyglot.HostAccess;
import org.graalvm.polyglot.PolyglotAccess;
import org.graalvm.polyglot.PolyglotException;
import org.graalvm.polyglot.Source;
import org.graalvm.polyglot.Value;
import org.graalvm.polyglot.io.IOAccess;

/**
 * The sandboxed JavaScript context of one gearbox: no host classes, no IO but the gearbox's
 * tools, no threads, processes, native code, environment or other languages; shared built-ins
 * frozen; a statement budget per message. Each gear is a module instance inside it. Only the
 * gearbox's lane calls into it; the watchdog may {@link #interrupt} it from another thread.
 *
 * <p>When GraalJS cancels the context (a message exceeded the statement limit), or the context
 * retains more than its machine's limit ({@link RetainedHeapCheck}), the next {@link
 * #instantiate} builds a new one; module instances of the old one report {@link
 * GearScript#stale()} and their gears start again with fresh state.
 */
public final class GearboxContext implements AutoCloseable {
  static final String PRELUDE_NAME = "erlmachine-gearbox-prelude.js";
  private static final Source PRELUDE = Source.newBuilder("js", readPrelude(), PRELUDE_NAME).buildLiteral();
  private static final Duration INTERRUPT_GRACE = Duration.ofSeconds(2);
  private static final com.sun.management.ThreadMXBean THREADS =
      (com.sun.management.ThreadMXBean) java.lang.management.ManagementFactory.getThreadMXBean();

  private final JsPlatform platform;
  private final Map<String, String> tools;
  private final long statementLimit;
  /** Tools and statement budget as part of a module's key: the same code may import or run differently under others. */
  private final String settingsKey;
  private final RetainedHeapLimit retainedHeap;
  private final RetainedHeapCheck heapCheck;
  /** Whether calls count what they allocate: only when the retained heap is limited and can be measured. */
  private final boolean accounting;
  private volatile Context context;
  /** The context as Truffle's heap meter knows it; null without a meter. */
  private TruffleContext measured;
  private volatile int generation;
  private Value bind;
  private Value stringify;
  private volatile boolean closed;
  /** Calls into the context so far, and whether one is running: an interrupt meant for one call must not hit the next. */
  private volatile long calls;
  private volatile boolean inCall;
  private long allocatedAtEnter;
  private boolean retired;
  private int instances;

  /** A context for a gearbox's gears, with no limit on what they retain; GraalJS builds it when the first gear is instantiated. */
  public GearboxContext(JsPlatform platform, Map<String, String> tools, long statementLimit) {
    this(platform, tools, statementLimit, RetainedHeapLimit.none());
  }

  /** A context for a gearbox's gears, kept within its machine's retained-heap limit. */
  public GearboxContext(JsPlatform platform, Map<String, String> tools, long statementLimit, RetainedHeapLimit retainedHeap) {
    this.platform = platform;
    this.retainedHeap = retainedHeap;
    this.heapCheck = new RetainedHeapCheck(retainedHeap);
    this.accounting = retainedHeap.enforced() && platform.heapMeter() != null;
    this.tools = Map.copyOf(tools);
    this.statementLimit = statementLimit;
    StringBuilder toolsText = new StringBuilder();
    new java.util.TreeMap<>(this.tools).forEach((name, code) -> toolsText.append(name).append('\u0000').append(code).append('\u0000'));
    this.settingsKey = statementLimit + ":" + JsPlatform.sharedSourceName(toolsText.toString());
  }

  /**
   * Whether a module of this code and mode instantiated without error in a context with the same
   * tools and statement budget before (in any gearbox of the host): then a gear may wait for its
   * first message to instantiate it, and a gearbox whose gears all may waits to build its context.
   */
  boolean instantiatedBefore(String code, GearScript.Mode mode) {
    return platform.instantiatedBefore(moduleKey(code, mode));
  }

  private String moduleKey(String code, GearScript.Mode mode) {
    return mode + ":" + JsPlatform.sharedSourceName(code) + ":" + settingsKey;
  }

  /** Whether this context serves gears with these tools and this statement budget. */
  public boolean serves(Map<String, String> wantedTools, long wantedStatementLimit) {
    return tools.equals(wantedTools) && statementLimit == wantedStatementLimit;
  }

  private void open() {
    Context created = Context.newBuilder("js")
        .engine(platform.engine())
        .allowHostAccess(HostAccess.NONE)
        .allowHostClassLookup(className -> false)
        .allowIO(tools.isEmpty() ? IOAccess.NONE : IOAccess.newBuilder().fileSystem(new ToolFileSystem(tools)).build())
        .allowCreateThread(false)
        .allowCreateProcess(false)
        .allowNativeAccess(false)
        .allowEnvironmentAccess(EnvironmentAccess.NONE)
        .allowPolyglotAccess(PolyglotAccess.NONE)
        .allowValueSharing(false)
        .option("js.esm-eval-returns-exports", "true")
        // Shell built-ins a gear has no use for: not created, so not walked and frozen either.
        .option("js.console", "false")
        .option("js.print", "false")
        .option("js.load", "false")
        .option("js.graal-builtin", "false")
        .resourceLimits(platform.statementLimit(statementLimit))
        .out(OutputStream.nullOutputStream())
        .err(OutputStream.nullOutputStream())
        .build();
    try {
      Value prelude = created.eval(PRELUDE);
      bind = prelude.getMember("bind");
      stringify = prelude.getMember("stringify");
      created.resetLimits();
    } catch (RuntimeException e) {
      created.close(true);
      throw e;
    }
    context = created;
    measured = accounting ? truffleContextOf(created) : null;
    heapCheck.restart();
    generation++;
  }

  private TruffleContext truffleContextOf(Context created) {
    created.enter();
    try {
      return platform.heapMeter().enteredContext();
    } finally {
      created.leave();
    }
  }

  /** A new module instance of {@code code}: its own module scope and gear state, bound to its host. */
  synchronized GearScript instantiate(String fileName, String code, GearScript.Mode mode, GearHost host) {
    if (closed) {
      throw new GearFailure("the gearbox's JavaScript context was closed");
    }
    if (context == null) {
      open();
    }
    instances++;
    String sourceName = JsPlatform.sharedSourceName(code);
    try {
      enter();
      Value namespace = context.eval(Source.newBuilder("js", code, sourceName).mimeType("application/javascript+module").buildLiteral());
      Value handler = bind.execute(namespace, mode.name().toLowerCase(), host);
      platform.instantiated(moduleKey(code, mode));
      return new GearScript(this, generation, handler, fileName, sourceName);
    } catch (PolyglotException e) {
      instances--;
      lostIfCancelled(e);
      throw new GearFailure(GearScript.describe(e).replace(sourceName, fileName), e);
    } finally {
      leave();
    }
  }

  /** A gear let go of its module instance; a retired context closes when its last gear has. */
  synchronized void released() {
    instances--;
    if (retired && instances <= 0) {
      close();
    }
  }

  /**
   * No new gear will use this context (a reload gave the gearbox new tools or limits); it closes
   * once the gears still in it have been replaced, on their lane.
   */
  public synchronized void retire() {
    retired = true;
    if (instances <= 0) {
      close();
    }
  }

  /** Whether GraalJS has built the context: the first gear instantiated in it does that. */
  public boolean built() {
    return context != null;
  }

  int generation() {
    return context == null ? -1 : generation;
  }

  /** Marks the start of a call into the context and resets its statement budget. */
  void enter() {
    context.resetLimits();
    calls++;
    inCall = true;
    if (accounting) {
      allocatedAtEnter = THREADS.getCurrentThreadAllocatedBytes();
    }
  }

  void leave() {
    inCall = false;
    if (accounting) {
      heapCheck.allocated(THREADS.getCurrentThreadAllocatedBytes() - allocatedAtEnter);
    }
  }

  /** Notes that GraalJS cancelled the whole context (the statement limit does that); the next gear builds a new one. */
  void lostIfCancelled(PolyglotException e) {
    if (e.isCancelled()) {
      reset();
    }
  }

  /** Drops the context with every gear's state in it; on the lane only. The next gear builds a new one. */
  void reset() {
    Context lost = context;
    context = null;
    measured = null;
    retainedHeap.forget(this);
    if (lost != null) {
      closeQuietly(lost);
    }
  }

  /**
   * After a message, on the lane: measures what the context retains when a check is due, and
   * resets it when its machine's JavaScript keeps more than its limit (see {@link RetainedHeapCheck}).
   */
  void afterMessage() {
    if (measured != null && context != null && !closed) {
      heapCheck.afterMessage(this);
    }
  }

  /**
   * Bytes the context retains, counting everything reachable from it (weakly held caches too,
   * until a garbage collection clears them); the walk stops at {@code stopAtBytes}. -1 when it
   * cannot be measured. On the lane, between calls.
   */
  long retainedBytes(long stopAtBytes) {
    TruffleContext target = measured;
    Context entered = context;
    if (target == null || entered == null) {
      return -1;
    }
    // Truffle collects the context's stack frames too, which needs a thread that has entered it.
    entered.enter();
    try {
      return platform.heapMeter().retainedBytes(target, stopAtBytes);
    } finally {
      entered.leave();
    }
  }

  /** JSON text of a value of this context; on the lane only. */
  String stringify(Value value) {
    if (context == null || closed) {
      throw new GearFailure("the message's value was lost when its gearbox's JavaScript context was reset");
    }
    if (!inCall) {
      context.resetLimits();
    }
    Value text = stringify.execute(value);
    return text.isNull() ? "null" : text.asString();
  }

  /**
   * Stops the message running in this context, from the watchdog's thread, without losing any
   * gear's state. Waits on a thread of its own so that the watchdog goes on watching others;
   * should the call not stop in time (stuck in a host call), the context is cancelled instead.
   */
  void interrupt() {
    Context target = context;
    long call = calls;
    if (target == null || !inCall) {
      return;
    }
    Thread.ofVirtual().name("erlmachine-interrupt").start(() -> {
      if (calls != call || !inCall) {
        return;
      }
      try {
        target.interrupt(INTERRUPT_GRACE);
      } catch (TimeoutException e) {
        context = null;
        closeQuietly(target);
      } catch (IllegalStateException | PolyglotException e) {
        // The context was closed meanwhile; there is nothing left to stop.
      }
    });
  }

  /** Closes the context; only from its lane, or once no lane runs it any more. */
  @Override
  public synchronized void close() {
    closed = true;
    Context last = context;
    context = null;
    measured = null;
    retainedHeap.forget(this);
    if (last != null) {
      closeQuietly(last);
    }
  }

  private static void closeQuietly(Context target) {
    try {
      target.close(true);
    } catch (IllegalStateException | PolyglotException e) {
      // Already closed, or closing while a cancelled call unwinds; either way it is gone.
    }
  }

  private static String readPrelude() {
    try (InputStream in = GearboxContext.class.getResourceAsStream("gearbox-prelude.js")) {
      if (in == null) {
        throw new IllegalStateException("gearbox-prelude.js is missing from the engine's resources");
      }
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
