package io.erlmachine.engine.logs;

import java.util.List;

/**
 * Records read from a machine's log, oldest first. {@code latest} is the sequence number of the
 * newest record ever written (0 before the first), {@code oldestKept} that of the oldest still
 * kept; {@code missed} counts the records after the asked-for sequence number that were dropped
 * before they could be read.
 */
public record LogPage(long latest, long oldestKept, long missed, List<LogRecord> records) {
}
