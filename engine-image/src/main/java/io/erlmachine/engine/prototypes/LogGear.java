package io.erlmachine.engine.prototypes;

import io.erlmachine.engine.runtime.Emitter;
import io.erlmachine.engine.runtime.GearBehavior;
import io.erlmachine.engine.runtime.GearId;
import io.erlmachine.engine.runtime.Message;
import java.lang.System.Logger.Level;

/** Writes every message to the machine's log at the level of its {@code level} param, and passes it on. */
final class LogGear implements GearBehavior {
  private static final System.Logger LOG = System.getLogger("io.erlmachine.gear");
  private final String prefix;
  private final Level level;

  LogGear(GearId id, Level level) {
    this.prefix = "[" + id + "] ";
    this.level = level;
  }

  @Override
  public void receive(Message message, Emitter emitter) {
    LOG.log(level, prefix + message.tracking() + " " + message.headers() + " " + message.body());
    emitter.toAll(message);
  }
}
