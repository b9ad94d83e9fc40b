package io.erlmachine.engine.runtime;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Deque;
import java.util.List;
import java.util.function.IntSupplier;

/**
 * The most recent hops of every message in this machine; the oldest are dropped first. Its
 * capacity is the machine's share of the host's journal budget, read on every write, so a
 * journal shrinks when machines join its host and grows when they leave. Memory follows use:
 * an idle machine's journal holds nothing.
 */
public final class Journal {
  private final IntSupplier capacity;
  private final Deque<Entry> hops = new ArrayDeque<>();

  private record Entry(String tracking, Hop hop) {
  }

  public Journal(int capacity) {
    this(() -> capacity);
  }

  public Journal(IntSupplier capacity) {
    this.capacity = capacity;
  }

  public void record(String tracking, Hop hop) {
    int keep = Math.max(1, capacity.getAsInt());
    synchronized (hops) {
      hops.addLast(new Entry(tracking, hop));
      while (hops.size() > keep) {
        hops.removeFirst();
      }
    }
  }

  /** Hops kept now. */
  public int size() {
    synchronized (hops) {
      return hops.size();
    }
  }

  /** The hops kept for a tracking number, oldest first; null when none are kept. */
  public TrackView find(String tracking) {
    List<Hop> found = new ArrayList<>();
    synchronized (hops) {
      for (Entry entry : hops) {
        if (entry.tracking().equals(tracking)) {
          found.add(entry.hop());
        }
      }
    }
    found.sort(Comparator.comparing(Hop::at));
    return found.isEmpty() ? null : new TrackView(tracking, List.copyOf(found));
  }

  /** The hops of one tracking number. */
  public record TrackView(String tracking, List<Hop> hops) {
  }
}
