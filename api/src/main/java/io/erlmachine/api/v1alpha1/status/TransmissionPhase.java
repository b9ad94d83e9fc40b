package io.erlmachine.api.v1alpha1.status;

/** A one-word summary of a transmission's conditions. */
public enum TransmissionPhase {
  /** Not resolved yet. */
  Pending,
  /** Every endpoint resolved to at least one machine; routes are in the source machines' configs. */
  Resolved,
  /** An endpoint matches no machine; messages wait at the sender within the delivery policy. */
  Unresolved
}
