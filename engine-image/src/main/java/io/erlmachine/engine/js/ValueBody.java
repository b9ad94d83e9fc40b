package io.erlmachine.engine.js;

import io.erlmachine.engine.runtime.Message;
import org.graalvm.polyglot.Value;

/** A message body that is a frozen JavaScript value in a gearbox's context. */
final class ValueBody implements Message.LiveBody {
  private final Value value;
  private final GearboxContext context;
  private final int generation;

  ValueBody(Value value, GearboxContext context) {
    this.value = value;
    this.context = context;
    this.generation = context.generation();
  }

  /** The value, when it can be handed to a gear of {@code target} as it is. */
  Value valueFor(GearboxContext target) {
    return target == context && generation == context.generation() ? value : null;
  }

  @Override
  public String toJson() {
    if (generation != context.generation()) {
      throw new io.erlmachine.engine.runtime.GearFailure("the message's value was lost when its gearbox's JavaScript context was reset");
    }
    return context.stringify(value);
  }
}
