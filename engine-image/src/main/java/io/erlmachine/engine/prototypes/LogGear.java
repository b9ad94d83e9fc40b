package io.erlmachine.engine.prototypes;

import io.erlmachine.engine.logs.MachineLog;
import io.erlmachine.engine.runtime.Emitter;
import io.erlmachine.engine.runtime.GearBehavior;
import io.erlmachine.engine.runtime.GearId;
import io.erlmachine.engine.runtime.Message;
import java.lang.System.Logger.Level;

/** Writes every message to the machine's log at the level of its {@code level} param, and passes it on. */
final class LogGear implements GearBehavior {
  private final GearId id;
  private final MachineLog log;
  private final Level level;

  LogGear(GearId id, MachineLog log, Level level) {
    this.id = id;
    this.log = log;
    this.level = level;
  }

  @Override
  public void receive(Message message, Emitter emitter) {
    log.gear(id, level, message.tracking() + " " + message.headers() + " " + message.body());
    emitter.toAll(message);
  }
}
