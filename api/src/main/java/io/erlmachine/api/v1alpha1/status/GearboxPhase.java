package io.erlmachine.api.v1alpha1.status;

/** A one-word summary of a gearbox's conditions. */
public enum GearboxPhase {
  /** Not placed on any machine yet. */
  Pending,
  /** Placed; waiting for the machines to load it. */
  Placed,
  /** Loaded and self-tested on every machine it is placed on. */
  Running,
  /** Loaded, but self-tests fail or gears exceed their restart limit somewhere. */
  Degraded,
  /** The gearbox cannot load: its JavaScript or wiring is wrong; see the Valid condition. */
  Invalid
}
