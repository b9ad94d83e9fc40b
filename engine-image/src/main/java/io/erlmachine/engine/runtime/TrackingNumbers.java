package io.erlmachine.engine.runtime;

import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Pattern;

/**
 * Issues tracking numbers unique in the cluster: {@code <serial>-<start>-<sequence>}, where
 * serial is the machine's serial number (unique in the cluster, never reused), start is the
 * engine's start time in milliseconds and sequence counts up from 1, both in base 36. The start
 * time keeps numbers unique across engine restarts.
 */
public final class TrackingNumbers {
  /** What a tracking number arriving from elsewhere must look like. */
  public static final Pattern FORMAT = Pattern.compile("[0-9]{1,19}-[0-9a-z]{1,13}-[0-9a-z]{1,13}");

  private final String prefix;
  private final AtomicLong sequence = new AtomicLong();

  public TrackingNumbers(long serial, long startMillis) {
    this.prefix = serial + "-" + Long.toString(startMillis, 36) + "-";
  }

  public String next() {
    return prefix + Long.toString(sequence.incrementAndGet(), 36);
  }

  public static boolean isValid(String tracking) {
    return tracking != null && FORMAT.matcher(tracking).matches();
  }
}
