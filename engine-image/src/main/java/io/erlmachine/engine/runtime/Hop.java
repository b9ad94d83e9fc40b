package io.erlmachine.engine.runtime;

import java.time.Instant;

/** One step of a message's journey: where it was, when, and what happened. */
public record Hop(String machine, String gearbox, String gear, Instant at, Outcome outcome, long micros, String detail) {
  /** What happened to the message at this hop. */
  public enum Outcome { RECEIVED, REFUSED, PROCESSED, FAILED, DEAD_LETTERED, SENT }
}
