package io.erlmachine.engine.logs;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.time.Instant;

/**
 * One line of a machine's own log: what a gear wrote (gear.log, console, the log prototype) or
 * what the engine said about the machine (crashes, restarts, dead letters, reloads). Gearbox and
 * gear are null for lines about the machine as a whole.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record LogRecord(long sequence, Instant at, String level, String gearbox, String gear, String message) {
  /** What a record is counted as against its machine's byte budget: its text plus what the objects around it take. */
  static final int OVERHEAD_BYTES = 96;

  long bytes() {
    return OVERHEAD_BYTES + message.length() + (gearbox == null ? 0 : gearbox.length()) + (gear == null ? 0 : gear.length());
  }
}
