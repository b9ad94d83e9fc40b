package io.erlmachine.engine.runtime;

/** A gear's counters at one moment. */
public record GearCounters(long processed, long failed, long restarts, long skippedTicks, int mailboxDepth,
                           int mailboxCapacity) {
}
