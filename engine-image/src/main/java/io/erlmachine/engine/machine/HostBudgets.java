package io.erlmachine.engine.machine;

import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.IntSupplier;
import java.util.function.LongSupplier;

/**
 * Memory an engine host lets its machines keep after messages are handled — journal hops,
 * dead letters, the duplicate-suppression window, recent log lines and the heap their
 * JavaScript retains — shared fairly: each machine may keep its
 * share of the host's total (total divided by the machines on the host), never more than the
 * per-machine maximum and never less than a small floor, so a host's retained state stays
 * bounded however many machines join it. Shares are read on every write, so they follow the
 * number of machines as it changes.
 */
public final class HostBudgets {
  private static final int JOURNAL_FLOOR = 256;
  private static final int DEAD_LETTER_FLOOR = 10;
  private static final long DEAD_LETTER_BYTES_FLOOR = 1L << 20;
  private static final int WINDOW_FLOOR = 1_000;
  private static final long LOG_BYTES_FLOOR = 16L << 10;
  /** The host-wide log budget when none is given. */
  public static final long DEFAULT_LOG_BYTES = 32L << 20;
  /** The share of the JVM's heap that machines' JavaScript may retain together when no budget is given, in percent. */
  public static final int DEFAULT_RETAINED_HEAP_PERCENT = 50;
  /**
   * The least a machine's JavaScript may retain, however many machines share the host: a fresh gearbox context
   * retains about 1.5 MiB (the hardened built-ins), so a floor of this size leaves room for a few gearboxes' state.
   */
  static final long RETAINED_HEAP_FLOOR = 16L << 20;

  /**
   * Totals for the whole host. {@code retainedHeapBytes} is the heap the machines' JavaScript contexts may retain
   * together between messages; 0 switches the retained-heap limit off.
   */
  public record Totals(int journalHops, int deadLetters, long deadLetterBytes, int deliveryWindow, long logBytes,
                       long retainedHeapBytes) {
    public Totals(int journalHops, int deadLetters, long deadLetterBytes, int deliveryWindow, long logBytes) {
      this(journalHops, deadLetters, deadLetterBytes, deliveryWindow, logBytes, defaultRetainedHeapBytes());
    }

    public Totals(int journalHops, int deadLetters, long deadLetterBytes, int deliveryWindow) {
      this(journalHops, deadLetters, deadLetterBytes, deliveryWindow, DEFAULT_LOG_BYTES);
    }

    /** The same totals with another retained-heap budget (0: no limit). */
    public Totals withRetainedHeapBytes(long bytes) {
      return new Totals(journalHops, deadLetters, deadLetterBytes, deliveryWindow, logBytes, bytes);
    }

    /** {@value #DEFAULT_RETAINED_HEAP_PERCENT}% of the JVM's maximum heap. */
    public static long defaultRetainedHeapBytes() {
      return Runtime.getRuntime().maxMemory() / 100 * DEFAULT_RETAINED_HEAP_PERCENT;
    }

    /** The totals of a host that runs one machine with the given per-machine maximums. */
    public static Totals forOneMachine(int journalHops, int deadLetters) {
      return new Totals(journalHops, deadLetters, 64L << 20, 100_000);
    }
  }

  private final Totals totals;
  private final AtomicInteger machines = new AtomicInteger();

  public HostBudgets(Totals totals) {
    this.totals = totals;
  }

  void join() {
    machines.incrementAndGet();
  }

  void leave() {
    machines.decrementAndGet();
  }

  public int machines() {
    return machines.get();
  }

  public Totals totals() {
    return totals;
  }

  IntSupplier journalHops(int perMachineMax) {
    return () -> share(totals.journalHops(), JOURNAL_FLOOR, perMachineMax);
  }

  IntSupplier deadLetters(int perMachineMax) {
    return () -> share(totals.deadLetters(), DEAD_LETTER_FLOOR, perMachineMax);
  }

  LongSupplier deadLetterBytes() {
    return () -> Math.max(DEAD_LETTER_BYTES_FLOOR, totals.deadLetterBytes() / Math.max(1, machines.get()));
  }

  /** Bytes of log records one machine keeps: its share of the host's, at most {@code perMachineMax}. */
  LongSupplier logBytes(long perMachineMax) {
    return () -> Math.min(perMachineMax, Math.max(LOG_BYTES_FLOOR, totals.logBytes() / Math.max(1, machines.get())));
  }

  /**
   * The heap one machine's JavaScript may retain: {@code configured} when its config sets a limit (bytes, 0 for
   * none), else its share of the host's total, at least {@link #RETAINED_HEAP_FLOOR}; never more than the host's total.
   * 0 when the host limits nothing.
   */
  long retainedHeapBytes(long configured) {
    long total = totals.retainedHeapBytes();
    if (total <= 0) {
      return 0;
    }
    if (configured > 0) {
      return Math.min(configured, total);
    }
    return Math.min(total, Math.max(RETAINED_HEAP_FLOOR, total / Math.max(1, machines.get())));
  }

  IntSupplier deliveryWindow() {
    return () -> share(totals.deliveryWindow(), WINDOW_FLOOR, Integer.MAX_VALUE);
  }

  private int share(int total, int floor, int perMachineMax) {
    int fair = total / Math.max(1, machines.get());
    return Math.min(perMachineMax, Math.max(floor, fair));
  }
}
