package io.erlmachine.api.v1alpha1.status;

/** A one-word summary of a machine's conditions. */
public enum MachinePhase {
  /** Accepted; waiting for a serial number or for its objects to be created. */
  Pending,
  /** The engine pod is being scheduled, started or rolled out. */
  Provisioning,
  /** The engine is ready and its gearboxes are engaged. */
  Running,
  /** The engine is ready and its clutch is disengaged. */
  Suspended,
  /** The engine runs but something needs attention; see the Degraded condition. */
  Degraded,
  /** The machine cannot run as specified; see the conditions for what to change. */
  Failed
}
