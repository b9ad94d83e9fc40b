package io.erlmachine.engine.machine;

import io.erlmachine.engine.js.JsGear;
import io.erlmachine.engine.runtime.GearBehavior;
import io.erlmachine.engine.runtime.GearFactory;
import java.util.concurrent.atomic.AtomicReference;

/**
 * A factory whose first behavior was already created while the config was validated (that is
 * how JavaScript gets compiled and checked), so that loading a gear instantiates its module once.
 * A JavaScript gear whose module was left for later (its code instantiated before, its gearbox's
 * context not built yet) is instantiated when the gear takes it, before its first message is
 * timed; behaviors made afterwards are instantiated at once.
 */
final class PreparedFactory implements GearFactory {
  private final AtomicReference<GearBehavior> prepared;
  private final GearFactory factory;

  PreparedFactory(GearBehavior prepared, GearFactory factory) {
    this.prepared = new AtomicReference<>(prepared);
    this.factory = factory;
  }

  @Override
  public GearBehavior create() {
    GearBehavior first = prepared.getAndSet(null);
    return instantiated(first != null ? first : factory.create());
  }

  /** A factory of fresh behaviors, instantiated at once (self-tests must not take a gear's prepared one). */
  GearFactory underlying() {
    return () -> instantiated(factory.create());
  }

  /** Releases the prepared behavior if the gear never used it. */
  void discard() {
    GearBehavior unused = prepared.getAndSet(null);
    if (unused != null) {
      unused.close();
    }
  }

  private static GearBehavior instantiated(GearBehavior behavior) {
    if (behavior instanceof JsGear js) {
      try {
        js.instantiate();
      } catch (RuntimeException e) {
        js.close();
        throw e;
      }
    }
    return behavior;
  }
}
