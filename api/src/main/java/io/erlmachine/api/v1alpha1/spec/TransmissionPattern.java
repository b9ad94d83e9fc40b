package io.erlmachine.api.v1alpha1.spec;

/** How a transmission distributes messages among its targets. */
public enum TransmissionPattern {
  /** Every target gets every message (forwarder). */
  PubSub,
  /** Each message goes to one target, balanced, with backpressure (streamer). */
  Pipeline,
  /** The target's reply returns to the requesting gear. */
  RequestReply
}
