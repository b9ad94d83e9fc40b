package io.erlmachine.engine.prototypes;

import io.erlmachine.engine.runtime.Emitter;
import io.erlmachine.engine.runtime.GearBehavior;
import io.erlmachine.engine.runtime.Message;
import java.util.List;

/** Sends each message to one output, round-robin. */
final class Streamer implements GearBehavior {
  private long sent;

  @Override
  public void receive(Message message, Emitter emitter) {
    List<String> outputs = emitter.outputs();
    if (outputs.isEmpty()) {
      return;
    }
    emitter.to(outputs.get((int) (sent++ % outputs.size())), message);
  }

  @Override
  public String snapshot() {
    return "{\"sent\":" + sent + "}";
  }
}
