package io.erlmachine.engine.js;

import com.oracle.truffle.api.TruffleContext;
import com.oracle.truffle.api.instrumentation.TruffleInstrument;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Measures the heap a polyglot context retains: Truffle walks the objects reachable from the
 * context (its globals, module instances and everything they hold), not counting what the
 * engine shares between contexts (code, sources). The walk stops once it has counted
 * {@code stopAtBytes}, so its cost is bounded by the limit it checks.
 */
public final class ContextHeapMeter {
  private static final AtomicBoolean NEVER_CANCELLED = new AtomicBoolean();
  private final TruffleInstrument.Env env;

  ContextHeapMeter(TruffleInstrument.Env env) {
    this.env = env;
  }

  /** The context entered on the calling thread, in Truffle's terms; null when none is. */
  TruffleContext enteredContext() {
    return env.getEnteredContext();
  }

  /** Bytes the context retains, or a number at least {@code stopAtBytes} once the walk got that far. */
  long retainedBytes(TruffleContext context, long stopAtBytes) {
    return env.calculateContextHeapSize(context, stopAtBytes, NEVER_CANCELLED);
  }
}
