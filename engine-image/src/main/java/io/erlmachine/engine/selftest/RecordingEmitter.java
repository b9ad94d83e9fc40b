package io.erlmachine.engine.selftest;

import io.erlmachine.engine.runtime.Emitter;
import io.erlmachine.engine.runtime.GearFailure;
import io.erlmachine.engine.runtime.Message;
import java.util.ArrayList;
import java.util.List;

/** Keeps what a gear under test emits, once per emit, whatever its outputs. */
final class RecordingEmitter implements Emitter {
  private final List<String> outputs;
  private final List<Message> emitted = new ArrayList<>();

  RecordingEmitter(List<String> outputs) {
    this.outputs = outputs;
  }

  @Override
  public List<String> outputs() {
    return outputs;
  }

  @Override
  public void toAll(Message message) {
    emitted.add(message);
  }

  @Override
  public void to(String output, Message message) {
    if (!outputs.contains(output)) {
      throw new GearFailure("no output named '" + output + "'; this gear's outputs are " + outputs);
    }
    emitted.add(message);
  }

  @Override
  public String newTracking() {
    return "self-test";
  }

  List<Message> emitted() {
    return emitted;
  }
}
