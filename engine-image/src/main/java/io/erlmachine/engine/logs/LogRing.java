package io.erlmachine.engine.logs;

import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.function.LongSupplier;

/**
 * A machine's recent log records, the oldest dropped first once they take more than the
 * machine's byte budget (read on every write: its share of the host's budget, so the ring
 * shrinks when machines join the host). The newest record is always kept. Every record gets the
 * next sequence number, so a reader that asks for what came after the last one it saw gets each
 * record once and learns how many it missed.
 */
public final class LogRing {
  private final LongSupplier byteCapacity;
  private final ArrayDeque<LogRecord> records = new ArrayDeque<>();
  private long keptBytes;
  private long latest;

  public LogRing(LongSupplier byteCapacity) {
    this.byteCapacity = byteCapacity;
  }

  public synchronized LogRecord add(Instant at, String level, String gearbox, String gear, String message) {
    LogRecord record = new LogRecord(++latest, at, level, gearbox, gear, message);
    records.addLast(record);
    keptBytes += record.bytes();
    long capacity = byteCapacity.getAsLong();
    while (keptBytes > capacity && records.size() > 1) {
      keptBytes -= records.removeFirst().bytes();
    }
    return record;
  }

  /** The records after sequence number {@code after}, oldest first, at most {@code limit}. */
  public synchronized LogPage after(long after, int limit) {
    List<LogRecord> found = new ArrayList<>();
    for (LogRecord record : records) {
      if (found.size() >= limit) {
        break;
      }
      if (record.sequence() > after) {
        found.add(record);
      }
    }
    long oldest = oldestKept();
    long missed = oldest == 0 ? Math.max(0, latest - after) : Math.max(0, oldest - after - 1);
    return new LogPage(latest, oldest, missed, found);
  }

  /** The records written at or after {@code from}, oldest first, at most {@code limit}. */
  public synchronized LogPage since(Instant from, int limit) {
    List<LogRecord> found = new ArrayList<>();
    for (LogRecord record : records) {
      if (found.size() >= limit) {
        break;
      }
      if (!record.at().isBefore(from)) {
        found.add(record);
      }
    }
    return new LogPage(latest, oldestKept(), 0, found);
  }

  /** The newest {@code limit} records, oldest first. */
  public synchronized LogPage tail(int limit) {
    ArrayDeque<LogRecord> found = new ArrayDeque<>();
    Iterator<LogRecord> newestFirst = records.descendingIterator();
    while (found.size() < limit && newestFirst.hasNext()) {
      found.addFirst(newestFirst.next());
    }
    return new LogPage(latest, oldestKept(), 0, List.copyOf(found));
  }

  /** Bytes the kept records count for. */
  public synchronized long keptBytes() {
    return keptBytes;
  }

  private long oldestKept() {
    return records.isEmpty() ? 0 : records.getFirst().sequence();
  }
}
