package io.erlmachine.engine.runtime;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The hops of recent tracking numbers in this machine, bounded in both directions: the oldest
 * tracks are forgotten first, and a track keeps at most {@code maxHopsPerTrack} hops (later
 * hops are counted, not kept).
 */
public final class Journal {
  private final int maxHopsPerTrack;
  private final Map<String, Track> tracks;

  public Journal(int maxTracks, int maxHopsPerTrack) {
    this.maxHopsPerTrack = maxHopsPerTrack;
    this.tracks = new LinkedHashMap<>(1024, 0.75f, false) {
      @Override
      protected boolean removeEldestEntry(Map.Entry<String, Track> eldest) {
        return size() > maxTracks;
      }
    };
  }

  public void record(String tracking, Hop hop) {
    synchronized (tracks) {
      Track track = tracks.computeIfAbsent(tracking, t -> new Track());
      if (track.hops.size() < maxHopsPerTrack) {
        track.hops.add(hop);
      } else {
        track.omitted++;
      }
    }
  }

  /** The hops recorded for a tracking number, oldest first; null when this machine has none. */
  public TrackView find(String tracking) {
    synchronized (tracks) {
      Track track = tracks.get(tracking);
      return track == null ? null : new TrackView(tracking, List.copyOf(track.hops), track.omitted);
    }
  }

  /** A copy of one track. */
  public record TrackView(String tracking, List<Hop> hops, int omittedHops) {
  }

  private static final class Track {
    final List<Hop> hops = new ArrayList<>(4);
    int omitted;
  }
}
