package io.erlmachine.engine.js;

import io.erlmachine.engine.runtime.GearFailure;
import java.util.Locale;

/**
 * Keeps one gearbox's context within its machine's retained-heap limit, checked on the
 * gearbox's lane after messages. A context cannot have grown by more than its JavaScript
 * allocated since it was last measured, so a check is due only once that allocation reaches the
 * headroom left below the limit (for a context not measured yet, below what a fresh one is
 * assumed to retain). So that checking takes at most about 1/{@value #COST_SHARE} of the lane's
 * time, a due check also waits until {@value #COST_SHARE} times the last check's duration has
 * passed, unless the context has allocated as much as the limit allows since: then it could have
 * doubled, and it is checked at once. So a context over the limit is found before it retains
 * twice what the limit allows (plus one message's allocation). The walk stops at that, so one
 * check costs at most a walk of that many bytes of objects.
 */
final class RetainedHeapCheck {
  static final int COST_SHARE = 20;
  /** More than a fresh hardened context retains (about 1.3 MiB after a garbage collection, 5.3 MiB before). */
  static final long FRESH_CONTEXT_BYTES = 8L << 20;
  private static final long UNKNOWN = -1;
  private final RetainedHeapLimit limit;
  private long allocatedSinceCheck;
  private long headroom = UNKNOWN;
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
    long allowed = limitBytes - others;
    if (headroom == UNKNOWN) {
      headroom = Math.max(0, allowed - FRESH_CONTEXT_BYTES);
      if (allocatedSinceCheck < headroom) {
        return;
      }
    }
    long now = System.nanoTime();
    if (now - notBeforeNanos < 0 && allocatedSinceCheck < allowed) {
      return;
    }
    long stopAt = Math.max(1, allowed) * 2;
    long retained = context.retainedBytes(stopAt);
    long finished = System.nanoTime();
    limit.checked(finished - now);
    allocatedSinceCheck = 0;
    notBeforeNanos = finished + COST_SHARE * (finished - now);
    if (retained < 0) {
      headroom = UNKNOWN;
      return;
    }
    if (retained <= allowed) {
      headroom = allowed - retained;
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
