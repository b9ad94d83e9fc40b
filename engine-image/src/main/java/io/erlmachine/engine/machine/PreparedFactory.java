package io.erlmachine.engine.machine;

import io.erlmachine.engine.runtime.GearBehavior;
import io.erlmachine.engine.runtime.GearFactory;
import java.util.concurrent.atomic.AtomicReference;

/**
 * A factory whose first behavior was already created while the config was validated (that is
 * how JavaScript gets compiled and checked), so that loading a gear instantiates its module once.
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
    return first != null ? first : factory.create();
  }

  GearFactory underlying() {
    return factory;
  }

  /** Releases the prepared behavior if the gear never used it. */
  void discard() {
    GearBehavior unused = prepared.getAndSet(null);
    if (unused != null) {
      unused.close();
    }
  }
}
