package io.erlmachine.api.v1alpha1.spec;

/** Whether messages flow through a machine, gearbox or transmission. */
public enum Clutch {
  /** Messages flow. */
  Engaged,
  /** Messages wait; nothing is dropped. */
  Disengaged
}
