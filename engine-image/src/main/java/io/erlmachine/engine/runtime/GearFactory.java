package io.erlmachine.engine.runtime;

/** Creates fresh behaviors for one gear: at start, after every crash, and for self-tests. */
@FunctionalInterface
public interface GearFactory {
  GearBehavior create();
}
