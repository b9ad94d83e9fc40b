package io.erlmachine.engine.prototypes;

import io.erlmachine.engine.runtime.Emitter;
import io.erlmachine.engine.runtime.GearBehavior;
import io.erlmachine.engine.runtime.Message;

/**
 * Sends every message on to all outputs. The {@code endpoint} prototype (where messages sent to
 * the machine over HTTP come in) and the {@code forwarder} prototype (fan-out) are both this.
 */
final class PassThrough implements GearBehavior {
  @Override
  public void receive(Message message, Emitter emitter) {
    emitter.toAll(message);
  }
}
