package io.erlmachine.engine.runtime;

import java.security.SecureRandom;
import java.util.concurrent.atomic.AtomicLong;
import java.util.random.RandomGenerator;
import java.util.regex.Pattern;

/**
 * Issues tracking numbers unique in the cluster: {@code <serial>-<boot>-<sequence>}. The serial
 * is the machine's serial number (the operator's ledger gives each serial to one Machine only),
 * boot is drawn at random each time the engine starts a machine, and sequence counts up from 1
 * within that start. No clock is involved, so a clock set back or two starts within the same
 * millisecond cannot repeat a prefix. Boot is a 64-bit number written as exactly 13 base-36
 * digits; engines before it wrote their start time in milliseconds there (8 or 9 digits), so a
 * new prefix can never equal an old one either. See docs/gears.md#tracking-numbers.
 */
public final class TrackingNumbers {
  /** What a tracking number arriving from elsewhere must look like (what this and older engines issue). */
  public static final Pattern FORMAT = Pattern.compile("[0-9]{1,19}-[0-9a-z]{1,13}-[0-9a-z]{1,13}");
  /** The smallest number with 13 base-36 digits; boot ids are at least this. */
  static final long SMALLEST_13_DIGITS = 4_738_381_338_321_616_896L;
  private static final RandomGenerator BOOT_IDS = new SecureRandom();

  private final String prefix;
  private final AtomicLong sequence = new AtomicLong();

  /** Numbers for one start of the machine with this serial. */
  public TrackingNumbers(long serial) {
    this(serial, BOOT_IDS);
  }

  /**
   * Kept for callers that still pass the start time, which no longer takes part: a clock can
   * go back, and two starts can share a millisecond. Use {@link #TrackingNumbers(long)}.
   */
  @Deprecated
  public TrackingNumbers(long serial, long startMillis) {
    this(serial);
  }

  TrackingNumbers(long serial, RandomGenerator random) {
    this.prefix = serial + "-" + Long.toUnsignedString(bootId(random), 36) + "-";
  }

  /** Uniform over the 64-bit numbers that have 13 base-36 digits (about 3 in 4 of them). */
  static long bootId(RandomGenerator random) {
    while (true) {
      long candidate = random.nextLong();
      if (Long.compareUnsigned(candidate, SMALLEST_13_DIGITS) >= 0) {
        return candidate;
      }
    }
  }

  public String next() {
    return prefix + Long.toString(sequence.incrementAndGet(), 36);
  }

  public static boolean isValid(String tracking) {
    return tracking != null && FORMAT.matcher(tracking).matches();
  }
}
