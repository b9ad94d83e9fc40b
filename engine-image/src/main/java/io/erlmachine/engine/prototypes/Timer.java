package io.erlmachine.engine.prototypes;

import io.erlmachine.engine.runtime.Emitter;
import io.erlmachine.engine.runtime.GearBehavior;
import io.erlmachine.engine.runtime.Message;

/**
 * Emits a message at a set interval: the engine feeds it a tick (with a new tracking number)
 * each interval, and it sends the tick on, or the JSON of its {@code body} param when given.
 * Ticks that find the mailbox full are skipped and counted.
 */
final class Timer implements GearBehavior {
  private final long intervalMillis;
  private final String body;

  Timer(long intervalMillis, String body) {
    this.intervalMillis = intervalMillis;
    this.body = body;
  }

  @Override
  public void receive(Message message, Emitter emitter) {
    emitter.toAll(body == null ? message : message.withBody(body, null));
  }

  @Override
  public long tickIntervalMillis() {
    return intervalMillis;
  }
}
