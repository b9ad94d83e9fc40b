package io.erlmachine.api.config;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Parses the Go-style durations the CRDs accept (for example 250ms, 2s, 1m30s). */
public final class Durations {
  private static final Pattern PART = Pattern.compile("([0-9]+(?:\\.[0-9]+)?)(ns|us|ms|s|m|h)");

  private Durations() {
  }

  public static long toMillis(String text) {
    if (text == null || text.isBlank()) {
      throw new IllegalArgumentException("empty duration");
    }
    Matcher matcher = PART.matcher(text);
    double millis = 0;
    int end = 0;
    while (matcher.find()) {
      if (matcher.start() != end) {
        throw new IllegalArgumentException("not a duration: " + text);
      }
      end = matcher.end();
      double value = Double.parseDouble(matcher.group(1));
      millis += switch (matcher.group(2)) {
        case "ns" -> value / 1_000_000;
        case "us" -> value / 1_000;
        case "ms" -> value;
        case "s" -> value * 1_000;
        case "m" -> value * 60_000;
        case "h" -> value * 3_600_000;
        default -> throw new IllegalArgumentException("unknown unit in " + text);
      };
    }
    if (end != text.length()) {
      throw new IllegalArgumentException("not a duration: " + text);
    }
    return Math.round(millis);
  }
}
