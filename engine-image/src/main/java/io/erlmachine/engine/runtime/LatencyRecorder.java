package io.erlmachine.engine.runtime;

/** Receives the processing time of each message a gear handles (for the latency histogram). */
@FunctionalInterface
public interface LatencyRecorder {
  LatencyRecorder NONE = nanos -> { };

  void record(long nanos);
}
