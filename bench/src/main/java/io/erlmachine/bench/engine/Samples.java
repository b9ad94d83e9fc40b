package io.erlmachine.bench.engine;

import io.erlmachine.engine.runtime.LatencyRecorder;
import java.util.Arrays;

/** Keeps up to a fixed number of latency samples (the first ones after a reset) for percentiles. */
final class Samples implements LatencyRecorder {
  private final long[] nanos;
  private volatile boolean recording;
  private int count;

  Samples(int capacity) {
    this.nanos = new long[capacity];
  }

  void start() {
    count = 0;
    recording = true;
  }

  @Override
  public void record(long value) {
    if (recording && count < nanos.length) {
      nanos[count++] = value;
    }
  }

  /** The p-th percentile in microseconds, p between 0 and 1. */
  double percentileMicros(double p) {
    long[] sorted = Arrays.copyOf(nanos, count);
    Arrays.sort(sorted);
    return sorted.length == 0 ? 0 : sorted[Math.min(sorted.length - 1, (int) (sorted.length * p))] / 1000.0;
  }
}
