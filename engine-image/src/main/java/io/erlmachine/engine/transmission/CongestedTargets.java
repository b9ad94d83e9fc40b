package io.erlmachine.engine.transmission;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.LongSupplier;

/**
 * Target gears whose mailboxes are full. A full mailbox is the receiver's flow control, not a failure: the sender waits
 * (backing off, from the delivery's initial backoff up to its maximum) and tries again without using up a retry, while
 * its own queue fills and in turn holds back the gear that emits. That lasts as long as the target has taken a message
 * within the patience; a target that takes nothing for longer (a gear stuck, or far too slow) counts as failing again,
 * and its messages use their retries and are dead-lettered when those run out. One per machine, shared by its
 * transmissions; keyed by the target's DNS name and gear, since every gear has its own mailbox.
 */
public final class CongestedTargets {
  private final long patienceNanos;
  private final LongSupplier nanoClock;
  private final Map<String, Congestion> congested = new ConcurrentHashMap<>();

  /** Since when a target has taken nothing, and how many refusals in a row it answered. */
  private record Congestion(long sinceNanos, int refusals) {
  }

  public CongestedTargets(Duration patience) {
    this(patience, System::nanoTime);
  }

  CongestedTargets(Duration patience, LongSupplier nanoClock) {
    if (patience.isNegative()) {
      throw new IllegalArgumentException("the patience with a full mailbox must not be negative: " + patience);
    }
    this.patienceNanos = patience.toNanos();
    this.nanoClock = nanoClock;
  }

  /** The target took messages: whatever it refused before, it is making progress. */
  public void took(String target) {
    congested.remove(target);
  }

  /**
   * The target refused for a full mailbox. Returns how long to wait before trying again without using a retry, or -1
   * when it has taken nothing for longer than the patience: the refusal then counts as a failure.
   */
  public long refused(String target, long initialBackoffMillis, long maxBackoffMillis) {
    long now = nanoClock.getAsLong();
    Congestion congestion = congested.merge(target, new Congestion(now, 1),
        (before, first) -> new Congestion(before.sinceNanos(), before.refusals() + 1));
    if (now - congestion.sinceNanos() >= patienceNanos) {
      return -1;
    }
    return Backoff.millis(congestion.refusals() - 1, initialBackoffMillis, maxBackoffMillis);
  }

  /** Whether the target has taken nothing for longer than the patience. */
  public boolean overdue(String target) {
    Congestion congestion = congested.get(target);
    return congestion != null && nanoClock.getAsLong() - congestion.sinceNanos() >= patienceNanos;
  }

  public Duration patience() {
    return Duration.ofNanos(patienceNanos);
  }
}
