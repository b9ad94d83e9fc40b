package io.erlmachine.engine.logs;

import io.erlmachine.engine.runtime.GearId;
import java.lang.System.Logger.Level;
import java.time.Instant;
import java.util.function.LongSupplier;

/**
 * A machine's log: every line that concerns one machine goes through here, into the engine's
 * process log (prefixed with the machine, so the log of a host that runs many machines says
 * whose line it is) and into the machine's own {@link LogRing}, which its API serves. Lines
 * from gears go to the category {@code io.erlmachine.gear}, lines the engine writes about the
 * machine to {@code io.erlmachine.machine}; a line below its category's level is dropped from
 * both, so the ring holds what the process log shows for that machine.
 */
public final class MachineLog {
  /** Lines are cut at this many characters. */
  public static final int MAX_LINE = 4096;
  private static final System.Logger GEARS = System.getLogger("io.erlmachine.gear");
  private static final System.Logger ENGINE = System.getLogger("io.erlmachine.machine");

  /** Dead letters one machine logs per second at most (a stopped gear that keeps being sent messages would flood it). */
  static final int DEAD_LETTER_LINES_PER_SECOND = 20;

  private final LogRing ring;
  private final LineRate deadLetterLines = new LineRate(DEAD_LETTER_LINES_PER_SECOND);
  private volatile String machine = "?";

  public MachineLog(LongSupplier byteCapacity) {
    this.ring = new LogRing(byteCapacity);
  }

  /** The machine's name in the process log: namespace/name. */
  public void named(String key) {
    machine = key;
  }

  /** A line a gear wrote. */
  public void gear(GearId id, Level level, String text) {
    write(GEARS, level, id, text);
  }

  /** A line the engine writes about one gear of the machine. */
  public void engine(GearId id, Level level, String text) {
    write(ENGINE, level, id, text);
  }

  /** A line the engine writes about the machine as a whole. */
  public void engine(Level level, String text) {
    write(ENGINE, level, null, text);
  }

  /** A message dead-lettered on its own (not by a crash, which says so itself), at most 20 lines per second. */
  public void deadLetter(GearId id, String tracking, String reason) {
    long suppressed = deadLetterLines.take();
    if (suppressed >= 0) {
      engine(id, Level.WARNING, "message " + tracking + " dead-lettered: " + reason
          + (suppressed > 0 ? " (and " + suppressed + " more dead letters not logged)" : ""));
    }
  }

  public LogRing ring() {
    return ring;
  }

  private void write(System.Logger category, Level level, GearId id, String text) {
    if (!category.isLoggable(level)) {
      return;
    }
    String line = text.length() > MAX_LINE ? text.substring(0, MAX_LINE) + "... (" + text.length() + " characters)" : text;
    ring.add(Instant.now(), levelName(level), id == null ? null : id.gearbox(), id == null ? null : id.gear(), line);
    category.log(level, "[" + machine + "]" + (id == null ? " " : " [" + id + "] ") + line);
  }

  private static String levelName(Level level) {
    return switch (level) {
      case ERROR -> "ERROR";
      case WARNING -> "WARN";
      case DEBUG, TRACE -> "DEBUG";
      default -> "INFO";
    };
  }
}
