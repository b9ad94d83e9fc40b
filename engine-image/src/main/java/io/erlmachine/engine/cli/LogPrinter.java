package io.erlmachine.engine.cli;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.PrintStream;

/** Prints log records one per line: time, level, gearbox/gear when there is one, message; and what was missed. */
final class LogPrinter {
  private final PrintStream out;

  LogPrinter(PrintStream out) {
    this.out = out;
  }

  /** Prints a page's records; returns the sequence number of the last one printed, or {@code after} when there was none. */
  long print(JsonNode page, long after) {
    long missed = page.path("missed").asLong();
    if (missed > 0) {
      out.println("... " + missed + " lines were dropped before they could be read (the machine keeps its newest lines only)");
    }
    long last = after;
    for (JsonNode record : page.path("records")) {
      out.println(format(record));
      last = record.path("sequence").asLong();
    }
    out.flush();
    return last;
  }

  static String format(JsonNode record) {
    String gear = record.hasNonNull("gearbox") ? " [" + record.path("gearbox").asText() + "/" + record.path("gear").asText() + "]" : "";
    return record.path("at").asText() + " " + String.format("%-5s", record.path("level").asText()) + gear + " "
        + record.path("message").asText();
  }
}
