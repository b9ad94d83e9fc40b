package io.erlmachine.engine.js;

import io.erlmachine.engine.runtime.GearId;
import java.lang.System.Logger.Level;

/**
 * A gear's log, rate-limited so that a gear printing in a loop cannot flood the machine's log:
 * at most {@code linesPerSecond} lines (with a burst of the same size), each cut at
 * {@code MAX_LINE}; suppressed lines are counted and reported once the gear is quiet again.
 */
public final class GearLog {
  static final int MAX_LINE = 4096;
  private static final System.Logger LOG = System.getLogger("io.erlmachine.gear");

  private final String prefix;
  private final int linesPerSecond;
  private double tokens;
  private long lastRefill = System.nanoTime();
  private long suppressed;

  public GearLog(GearId id, int linesPerSecond) {
    this.prefix = "[" + id + "] ";
    this.linesPerSecond = linesPerSecond;
    this.tokens = linesPerSecond;
  }

  synchronized void write(String level, String text) {
    long now = System.nanoTime();
    tokens = Math.min(linesPerSecond, tokens + (now - lastRefill) / 1e9 * linesPerSecond);
    lastRefill = now;
    if (tokens < 1) {
      suppressed++;
      return;
    }
    tokens--;
    if (suppressed > 0) {
      LOG.log(Level.WARNING, prefix + suppressed + " log lines suppressed (limit " + linesPerSecond + " per second)");
      suppressed = 0;
    }
    String line = text.length() > MAX_LINE ? text.substring(0, MAX_LINE) + "... (" + text.length() + " characters)" : text;
    LOG.log(level(level), prefix + line);
  }

  public synchronized long suppressed() {
    return suppressed;
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
