package io.erlmachine.engine.runtime;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.time.Instant;

/**
 * One step of a message's journey: where it was, when, and what happened. A SENT hop names the
 * peer machine (its DNS name) the message went to, so that a track can be followed there.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record Hop(String machine, String gearbox, String gear, Instant at, Outcome outcome, long micros, String detail, String peer) {

  public Hop(String machine, String gearbox, String gear, Instant at, Outcome outcome, long micros, String detail) {
    this(machine, gearbox, gear, at, outcome, micros, detail, null);
  }

  /** What happened to the message at this hop. */
  public enum Outcome { RECEIVED, REFUSED, DUPLICATE, PROCESSED, FAILED, DEAD_LETTERED, SENT, REPLIED }
}
