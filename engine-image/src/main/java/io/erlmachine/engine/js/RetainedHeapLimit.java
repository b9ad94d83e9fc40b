package io.erlmachine.engine.js;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;

/**
 * One machine's limit on the heap its JavaScript keeps between messages, summed over its
 * gearboxes' contexts, and what each context kept when last measured. Each context is measured
 * on its own gearbox's lane ({@link RetainedHeapCheck}); this only adds up and counts.
 */
public final class RetainedHeapLimit {
  private final LongSupplier limitBytes;
  private final Map<GearboxContext, Long> measured = new ConcurrentHashMap<>();
  private final AtomicLong exceeded = new AtomicLong();
  private final AtomicLong checks = new AtomicLong();
  private final AtomicLong checkNanos = new AtomicLong();

  private final boolean enforced;

  /** A limit read on every check, so that it follows reloads and the host's shares; 0 limits nothing. */
  public RetainedHeapLimit(LongSupplier limitBytes) {
    this(limitBytes, true);
  }

  private RetainedHeapLimit(LongSupplier limitBytes, boolean enforced) {
    this.limitBytes = limitBytes;
    this.enforced = enforced;
  }

  /** No limit, and no accounting of what contexts allocate either: for hosts whose limit is switched off. */
  public static RetainedHeapLimit none() {
    return new RetainedHeapLimit(() -> 0, false);
  }

  /** Whether contexts account for what they allocate, so that they can be checked. */
  boolean enforced() {
    return enforced;
  }

  /** Bytes the machine's JavaScript may retain; 0 when it is not limited. */
  public long limitBytes() {
    return limitBytes.getAsLong();
  }

  /** Bytes the machine's contexts retained when each was last measured. */
  public long retainedBytes() {
    return measured.values().stream().mapToLong(Long::longValue).sum();
  }

  /** Times a context of the machine was found over the limit (and reset). */
  public long exceeded() {
    return exceeded.get();
  }

  /** Times a context of the machine was measured. */
  public long checks() {
    return checks.get();
  }

  /** Time spent measuring the machine's contexts, in nanoseconds. */
  public long checkNanos() {
    return checkNanos.get();
  }

  void checked(long nanos) {
    checks.incrementAndGet();
    checkNanos.addAndGet(nanos);
  }

  long othersBytes(GearboxContext context) {
    long others = 0;
    for (Map.Entry<GearboxContext, Long> entry : measured.entrySet()) {
      if (entry.getKey() != context) {
        others += entry.getValue();
      }
    }
    return others;
  }

  void measured(GearboxContext context, long bytes) {
    measured.put(context, bytes);
  }

  void crossed(GearboxContext context) {
    measured.remove(context);
    exceeded.incrementAndGet();
  }

  void forget(GearboxContext context) {
    measured.remove(context);
  }
}
