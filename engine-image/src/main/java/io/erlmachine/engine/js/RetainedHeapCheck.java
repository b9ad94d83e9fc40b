package io.erlmachine.engine.js;

import io.erlmachine.engine.runtime.GearFailure;
import java.util.Locale;

/**
 * Keeps one gearbox's context within its machine's retained-heap limit, checked on the
 * gearbox's lane after messages. Measuring walks the context's objects and takes tens to
 * hundreds of milliseconds, so it is paced:
 * <ul>
 *   <li>A context cannot have grown by more than its JavaScript allocated since it was last
 *       measured, so a check is due only once that allocation reaches the headroom left below
 *       the limit (for a context not measured yet, below what a fresh one is assumed to retain).</li>
 *   <li>A due check waits until {@value #COST_SHARE} times the last check's duration has passed,
 *       so checking takes at most about 1/{@value #COST_SHARE} of the lane's time,</li>
 *   <li>unless the context has allocated as much as the limit allows, times its patience, since
 *       the last check: then it is checked at once. The patience starts at 1 and doubles (up to
 *       {@value #MAX_PATIENCE}) after each check that finds the context grew by less than
 *       1/{@value #GARBAGE_RATIO} of what it allocated: a gear that makes mostly garbage is checked
 *       less and less often. It falls back to 1 when a check finds more growth.</li>
 * </ul>
 * A context that keeps growing is therefore found before it retains three times what the limit
 * allows (twice when it keeps at least 1/{@value #GARBAGE_RATIO} of what it allocates), plus one
 * message's allocation. The walk stops at three times the limit's allowance.
 */
final class RetainedHeapCheck {
  static final int COST_SHARE = 20;
  static final int MAX_PATIENCE = 16;
  static final int GARBAGE_RATIO = 8;
  /** More than a fresh hardened context retains (about 1.3 MiB after a garbage collection, 5.3 MiB before). */
  static final long FRESH_CONTEXT_BYTES = 8L << 20;
  private static final long UNKNOWN = -1;
  private final RetainedHeapLimit limit;
  private long allocatedSinceCheck;
  private long headroom = UNKNOWN;
  private long lastRetained = UNKNOWN;
  private long patience = 1;
  private long notBeforeNanos;

  RetainedHeapCheck(RetainedHeapLimit limit) {
    this.limit = limit;
  }

  /** Bytes the lane's thread allocated during one call into the context. */
  void allocated(long bytes) {
    allocatedSinceCheck += bytes;
  }

  /** The context was built anew: what it retains is not known until it is measured. */
  void restart() {
    allocatedSinceCheck = 0;
    headroom = UNKNOWN;
    lastRetained = UNKNOWN;
    patience = 1;
  }

  /**
   * Measures {@code context} if a check is due; when the machine's JavaScript keeps more than its
   * limit, resets the context (every gear in it starts again with fresh state) and throws the
   * reason, so that the message that crossed the limit is dead-lettered.
   */
  void afterMessage(GearboxContext context) {
    if (headroom != UNKNOWN && allocatedSinceCheck < headroom) {
      return;
    }
    long limitBytes = limit.limitBytes();
    if (limitBytes <= 0) {
      return;
    }
    long others = limit.othersBytes(context);
    long allowed = Math.max(1, limitBytes - others);
    if (headroom == UNKNOWN) {
      headroom = Math.max(0, allowed - FRESH_CONTEXT_BYTES);
      if (allocatedSinceCheck < headroom) {
        return;
      }
    }
    long now = System.nanoTime();
    if (now - notBeforeNanos < 0 && allocatedSinceCheck < patience * allowed) {
      return;
    }
    long stopAt = allowed * 3;
    long retained = context.retainedBytes(stopAt);
    long finished = System.nanoTime();
    limit.checked(finished - now);
    notBeforeNanos = finished + COST_SHARE * (finished - now);
    if (retained < 0) {
      headroom = UNKNOWN;
      allocatedSinceCheck = 0;
      return;
    }
    if (retained <= allowed) {
      boolean mostlyGarbage = lastRetained != UNKNOWN && (retained - lastRetained) * GARBAGE_RATIO < allocatedSinceCheck;
      patience = mostlyGarbage ? Math.min(MAX_PATIENCE, patience * 2) : 1;
      lastRetained = retained;
      headroom = allowed - retained;
      allocatedSinceCheck = 0;
      limit.measured(context, retained);
      return;
    }
    limit.crossed(context);
    context.reset();
    restart();
    throw new GearFailure("exceeded a limit: retained heap " + (retained >= stopAt ? "at least " : "")
        + mebibytes(retained + others) + " over " + mebibytes(limitBytes) + "; every JavaScript gear of the gearbox starts"
        + " again with fresh state");
  }

  private static String mebibytes(long bytes) {
    return String.format(Locale.ROOT, "%.1f MiB", bytes / (double) (1L << 20));
  }
}
