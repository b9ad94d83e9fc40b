package io.erlmachine.engine.js;

import io.erlmachine.engine.logs.LineRate;
import io.erlmachine.engine.logs.MachineLog;
import io.erlmachine.engine.runtime.GearId;
import java.lang.System.Logger.Level;

/**
 * A gear's log, rate-limited so that a gear printing in a loop cannot flood its machine's log:
 * at most {@code linesPerSecond} lines (with a burst of the same size), each cut at
 * {@link MachineLog#MAX_LINE}; suppressed lines are counted and reported once the gear is quiet again.
 */
public final class GearLog {
  private final GearId id;
  private final LineRate rate;
  private final MachineLog log;

  public GearLog(GearId id, int linesPerSecond, MachineLog log) {
    this.id = id;
    this.rate = new LineRate(linesPerSecond);
    this.log = log;
  }

  void write(String level, String text) {
    long suppressed = rate.take();
    if (suppressed < 0) {
      return;
    }
    if (suppressed > 0) {
      log.gear(id, Level.WARNING, suppressed + " log lines suppressed (limit " + rate.linesPerSecond() + " per second)");
    }
    log.gear(id, level(level), text);
  }

  public long suppressed() {
    return rate.suppressed();
  }

  private static Level level(String name) {
    return switch (name) {
      case "DEBUG" -> Level.DEBUG;
      case "WARN" -> Level.WARNING;
      case "ERROR" -> Level.ERROR;
      default -> Level.INFO;
    };
  }
}
