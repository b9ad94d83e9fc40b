package io.erlmachine.engine.js;

import com.oracle.truffle.api.instrumentation.TruffleInstrument;

/**
 * A Truffle instrument that only measures: it gives the engine {@link ContextHeapMeter}, through
 * which a gearbox's context reports the heap it retains. Registered by {@link
 * ContextHeapInstrumentProvider}; it attaches no probes, so having it costs the running
 * JavaScript nothing.
 */
public final class ContextHeapInstrument extends TruffleInstrument {
  static final String ID = "erlmachine-context-heap";

  @Override
  protected void onCreate(Env env) {
    env.registerService(new ContextHeapMeter(env));
  }
}
