package io.erlmachine.engine.runtime;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Collects what a gear emits while it handles one message. The messages leave only when the
 * gear has finished without failing: a crashed gear's input is dead-lettered, so its partial
 * output must not be sent as well.
 */
final class CollectingEmitter implements Emitter {
  private final Map<String, Inlet> outputs;
  private final long maxMessageBytes;
  private final TrackingNumbers trackingNumbers;
  private final List<Pending> pending = new ArrayList<>(2);
  private Message firstEmitted;

  record Pending(Inlet target, Message message) {
  }

  CollectingEmitter(Map<String, Inlet> outputs, long maxMessageBytes, TrackingNumbers trackingNumbers) {
    this.outputs = outputs;
    this.maxMessageBytes = maxMessageBytes;
    this.trackingNumbers = trackingNumbers;
  }

  @Override
  public List<String> outputs() {
    return List.copyOf(outputs.keySet());
  }

  @Override
  public void toAll(Message message) {
    remember(message);
    outputs.values().forEach(target -> pending.add(new Pending(target, forTarget(target, message))));
  }

  @Override
  public void to(String output, Message message) {
    checkSize(message);
    Inlet target = outputs.get(output);
    if (target == null) {
      throw new GearFailure("no output named '" + output + "'; this gear's outputs are " + outputs.keySet());
    }
    remember(message);
    pending.add(new Pending(target, forTarget(target, message)));
  }

  @Override
  public String newTracking() {
    return trackingNumbers.next();
  }

  List<Pending> pending() {
    return pending;
  }

  /** The first message emitted, the reply to a request; null when none was. */
  Message firstEmitted() {
    return firstEmitted;
  }

  private void remember(Message message) {
    if (firstEmitted == null) {
      firstEmitted = message;
    }
    if (message.hasText()) {
      checkSize(message);
    }
  }

  /**
   * A gear of the same gearbox takes the message as it is (a live value stays live); anything
   * else (a transmission) gets JSON text, made here on the lane and held to the size limit.
   */
  private Message forTarget(Inlet target, Message message) {
    if (target instanceof GearCell || message.hasText()) {
      return message;
    }
    Message text = message.asText();
    checkSize(text);
    return text;
  }

  private void checkSize(Message message) {
    long size = message.size();
    if (size > maxMessageBytes) {
      throw new GearFailure("emitted a message of " + size + " bytes; the machine's limit is " + maxMessageBytes);
    }
  }
}
