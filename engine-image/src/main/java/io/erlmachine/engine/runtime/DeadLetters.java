package io.erlmachine.engine.runtime;

import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.IntSupplier;
import java.util.function.LongSupplier;

/**
 * Messages that could not be handled, with the reason. The most recent {@code capacity} are
 * kept for inspection; the total is always counted, so nothing disappears without a trace.
 */
public final class DeadLetters {
  private final IntSupplier capacity;
  private final LongSupplier byteCapacity;
  private long keptBytes;
  private final Deque<DeadLetter> recent = new ArrayDeque<>();
  private final AtomicLong total = new AtomicLong();

  public DeadLetters(int capacity) {
    this(() -> capacity, () -> Long.MAX_VALUE);
  }

  /**
   * Dead letters whose number and bytes kept are read on every add: the machine's share of its
   * host's budget. The newest letter is always kept.
   */
  public DeadLetters(IntSupplier capacity, LongSupplier byteCapacity) {
    this.capacity = capacity;
    this.byteCapacity = byteCapacity;
  }

  /** One dead-lettered message. */
  public record DeadLetter(long sequence, Instant at, String gearbox, String gear, String reason, Message message) {
  }

  public DeadLetter add(GearId gear, Message message, String reason) {
    DeadLetter letter = new DeadLetter(total.incrementAndGet(), Instant.now(), gear.gearbox(), gear.gear(), reason, message);
    synchronized (recent) {
      recent.addLast(letter);
      keptBytes += message.size();
      int keep = Math.max(1, capacity.getAsInt());
      long keepBytes = byteCapacity.getAsLong();
      while (recent.size() > keep || (keptBytes > keepBytes && recent.size() > 1)) {
        keptBytes -= recent.removeFirst().message().size();
      }
    }
    return letter;
  }

  public long total() {
    return total.get();
  }

  /** The kept dead letters, newest first. */
  public List<DeadLetter> recent() {
    synchronized (recent) {
      List<DeadLetter> copy = new ArrayList<>(recent);
      java.util.Collections.reverse(copy);
      return copy;
    }
  }
}
