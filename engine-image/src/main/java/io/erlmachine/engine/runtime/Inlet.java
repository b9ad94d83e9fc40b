package io.erlmachine.engine.runtime;

/** Somewhere a gear's output can go: another gear of the machine, or a route out of it. */
public interface Inlet {

  /**
   * Takes a message from a gear. Returns false when it has no room; the sender is then woken
   * through {@link GearCell#wake()} once there is room, and tries again.
   */
  boolean acceptFrom(Message message, GearCell sender);
}
