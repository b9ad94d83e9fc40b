package io.erlmachine.engine.prototypes;

import io.erlmachine.engine.runtime.Emitter;
import io.erlmachine.engine.runtime.GearBehavior;
import io.erlmachine.engine.runtime.Message;

/** Counts and absorbs messages: a sink. */
final class Counter implements GearBehavior {
  private long count;
  private long bytes;

  @Override
  public void receive(Message message, Emitter emitter) {
    count++;
    bytes += message.size();
  }

  @Override
  public String snapshot() {
    return "{\"count\":" + count + ",\"bytes\":" + bytes + "}";
  }
}
