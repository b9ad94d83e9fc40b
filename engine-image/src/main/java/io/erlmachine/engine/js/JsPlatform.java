package io.erlmachine.engine.js;

import java.io.OutputStream;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.graalvm.polyglot.Engine;
import org.graalvm.polyglot.Instrument;
import org.graalvm.polyglot.ResourceLimits;

/**
 * The one polyglot engine of the process, shared by every gear's context so that parsed and
 * compiled code is shared too.
 */
public final class JsPlatform implements AutoCloseable {
  private static final int MAX_REMEMBERED_MODULES = 100_000;
  private final Engine engine;
  private final ContextHeapMeter heapMeter;
  private final Map<Long, ResourceLimits> limitsByStatementCount = new ConcurrentHashMap<>();
  /** Modules that instantiated without error, by {@link GearboxContext#moduleKey}; a bounded set of keys, not of instances. */
  private final Set<String> instantiatedModules = ConcurrentHashMap.newKeySet();

  public JsPlatform() {
    this.engine = Engine.newBuilder("js")
        .option("engine.WarnInterpreterOnly", "false")
        .out(OutputStream.nullOutputStream())
        .err(OutputStream.nullOutputStream())
        .build();
    this.heapMeter = heapMeterOf(engine);
  }

  Engine engine() {
    return engine;
  }

  private static ContextHeapMeter heapMeterOf(Engine engine) {
    Instrument instrument = engine.getInstruments().get(ContextHeapInstrument.ID);
    if (instrument == null) {
      return null;
    }
    try {
      return instrument.lookup(ContextHeapMeter.class);
    } catch (RuntimeException e) {
      System.getLogger(JsPlatform.class.getName()).log(System.Logger.Level.WARNING,
          "the retained heap of JavaScript contexts cannot be measured here, so it is not limited: " + e);
      return null;
    }
  }

  /** What measures the heap a context retains; null when this runtime cannot (the limit is then not enforced). */
  ContextHeapMeter heapMeter() {
    return heapMeter;
  }

  /** Whether the heap a context retains can be measured, so that the retained-heap limit is enforced. */
  public boolean measuresRetainedHeap() {
    return heapMeter != null;
  }

  /** The resource limits for a statement budget per message; the context is cancelled past it. */
  ResourceLimits statementLimit(long statements) {
    return limitsByStatementCount.computeIfAbsent(statements, n -> ResourceLimits.newBuilder().statementLimit(n, null).build());
  }

  /**
   * The name a module is evaluated under. Gears with the same code share the name, so the
   * engine parses and compiles that code once for all of them; errors are reported under the
   * gear's own file name.
   */
  static String sharedSourceName(String code) {
    try {
      byte[] digest = java.security.MessageDigest.getInstance("SHA-256").digest(code.getBytes(java.nio.charset.StandardCharsets.UTF_8));
      return "gear-" + java.util.HexFormat.of().formatHex(digest, 0, 8) + ".mjs";
    } catch (java.security.NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is part of every JDK", e);
    }
  }

  /** Whether a module with this key (code, mode, tools, statement budget) has instantiated without error before. */
  boolean instantiatedBefore(String moduleKey) {
    return instantiatedModules.contains(moduleKey);
  }

  void instantiated(String moduleKey) {
    if (instantiatedModules.size() < MAX_REMEMBERED_MODULES) {
      instantiatedModules.add(moduleKey);
    }
  }

  /** Whether the optimizing compiler runs the JavaScript; without it compute-heavy code is ~30x slower. */
  public boolean compilerActive() {
    return !"Interpreted".equals(engine.getImplementationName());
  }

  /** The polyglot runtime in use, for start-up logs and the machine info. */
  public String runtimeName() {
    return engine.getImplementationName();
  }

  @Override
  public void close() {
    engine.close(true);
  }
}
