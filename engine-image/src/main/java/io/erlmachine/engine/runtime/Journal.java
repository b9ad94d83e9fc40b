package io.erlmachine.engine.runtime;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReferenceArray;

/**
 * The most recent hops of every message in this machine, in a fixed ring: recording a hop is
 * one slot write with no lock (it happens on every hop of every message), and the oldest hops
 * are overwritten first. Looking a tracking number up scans the ring, which is rare and cheap
 * enough at this size.
 */
public final class Journal {
  private final AtomicReferenceArray<Entry> ring;
  private final AtomicLong written = new AtomicLong();

  private record Entry(String tracking, Hop hop) {
  }

  public Journal(int capacity) {
    this.ring = new AtomicReferenceArray<>(capacity);
  }

  public void record(String tracking, Hop hop) {
    long slot = written.getAndIncrement();
    ring.lazySet((int) (slot % ring.length()), new Entry(tracking, hop));
  }

  /** The hops kept for a tracking number, oldest first; null when none are kept. */
  public TrackView find(String tracking) {
    long end = written.get();
    long start = Math.max(0, end - ring.length());
    List<Hop> hops = new ArrayList<>();
    for (long slot = start; slot < end; slot++) {
      Entry entry = ring.get((int) (slot % ring.length()));
      if (entry != null && entry.tracking().equals(tracking)) {
        hops.add(entry.hop());
      }
    }
    hops.sort(java.util.Comparator.comparing(Hop::at));
    return hops.isEmpty() ? null : new TrackView(tracking, List.copyOf(hops));
  }

  /** The hops of one tracking number. */
  public record TrackView(String tracking, List<Hop> hops) {
  }
}
