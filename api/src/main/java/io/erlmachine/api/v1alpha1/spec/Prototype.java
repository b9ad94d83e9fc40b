package io.erlmachine.api.v1alpha1.spec;

import com.fasterxml.jackson.annotation.JsonProperty;

/** The built-in gear kinds; each has the common gear interface. */
public enum Prototype {
  /** Runs a JavaScript module. */
  @JsonProperty("js") JS,
  /** Receives messages sent to the machine over HTTP. */
  @JsonProperty("endpoint") ENDPOINT,
  /** Copies every message to all of its outputs (fan-out). */
  @JsonProperty("forwarder") FORWARDER,
  /** Sends each message to one of its outputs, round-robin. */
  @JsonProperty("streamer") STREAMER,
  /** Sends each message to the outputs its predicate names. */
  @JsonProperty("router") ROUTER,
  /** Passes on the messages its predicate accepts. */
  @JsonProperty("filter") FILTER,
  /** Emits a message at a set interval: the seed of load generation. */
  @JsonProperty("timer") TIMER,
  /** Writes every message to the machine's log. */
  @JsonProperty("log") LOG,
  /** Counts and absorbs messages (a sink). */
  @JsonProperty("counter") COUNTER
}
