package io.erlmachine.engine.runtime;

import io.erlmachine.engine.logs.MachineLog;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.ScheduledExecutorService;
import java.util.function.Function;
import java.util.function.Supplier;

/** What every gear of a machine shares: threads, the watchdog, journal, dead letters, its log, limits and awaited replies. */
public record RuntimeServices(String machine, ExecutorService workers, ScheduledExecutorService ticker, Watchdog watchdog,
                              Journal journal, DeadLetters deadLetters, TrackingNumbers trackingNumbers,
                              Supplier<MessageLimits> limits, Function<GearId, LatencyRecorder> latency, Replies replies,
                              MachineLog log) {

  /** Per-message limits, from the machine config and the engine's settings. */
  public record MessageLimits(long maxMessageBytes, long timeoutMillis, long allocationLimitBytes) {
  }
}
