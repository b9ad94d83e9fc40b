package io.erlmachine.engine.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.random.RandomGenerator;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class TrackingNumbersTest {
  private static final long SERIAL = 42;

  @Test
  void startsWithinTheSameMillisecondGetDifferentPrefixes() {
    Set<String> prefixes = new HashSet<>();
    Set<Long> milliseconds = new HashSet<>();
    IntStream.range(0, 10_000).forEach(i -> {
      milliseconds.add(System.currentTimeMillis());
      prefixes.add(prefix(new TrackingNumbers(SERIAL).next()));
    });
    assertThat(milliseconds).as("many of the starts shared a millisecond").hasSizeLessThan(5_000);
    assertThat(prefixes).hasSize(10_000);
  }

  @Test
  @SuppressWarnings("deprecation")
  void aClockSetBackDoesNotRepeatAPrefix() {
    long now = System.currentTimeMillis();
    String beforeTheClockWentBack = prefix(new TrackingNumbers(SERIAL, now).next());
    String afterTheClockWentBack = prefix(new TrackingNumbers(SERIAL, now - 60_000).next());
    String atTheSameTimeAgain = prefix(new TrackingNumbers(SERIAL, now).next());
    assertThat(List.of(beforeTheClockWentBack, afterTheClockWentBack, atTheSameTimeAgain)).doesNotHaveDuplicates();
  }

  @Test
  void machinesWithDifferentSerialsNeverShareANumberEvenWithTheSameRandomBootId() {
    TrackingNumbers one = new TrackingNumbers(1, new SplittableRandom(7));
    TrackingNumbers eleven = new TrackingNumbers(11, new SplittableRandom(7));
    Set<String> issued = new HashSet<>();
    IntStream.range(0, 1_000).forEach(i -> {
      issued.add(one.next());
      issued.add(eleven.next());
    });
    assertThat(issued).hasSize(2_000);
  }

  @Test
  void bootIdsAlwaysHaveThirteenDigitsSoTheyNeverEqualAnOlderEnginesStartTime() {
    RandomGenerator smallFirst = new RandomGenerator() {
      private final long[] values = {0, System.currentTimeMillis(), TrackingNumbers.SMALLEST_13_DIGITS - 1, -1};
      private int next;

      @Override
      public long nextLong() {
        return values[next++];
      }
    };
    String number = new TrackingNumbers(SERIAL, smallFirst).next();
    assertThat(number).isEqualTo("42-" + Long.toUnsignedString(-1, 36) + "-1");
    assertThat(Long.toUnsignedString(TrackingNumbers.SMALLEST_13_DIGITS, 36)).hasSize(13);
    assertThat(Long.toUnsignedString(TrackingNumbers.SMALLEST_13_DIGITS - 1, 36)).hasSize(12);
    assertThat(Long.toString(253_402_300_799_000L, 36)).as("the start time of the last millisecond of year 9999").hasSizeLessThan(13);
  }

  @Test
  void issuedNumbersAndThoseOfOlderEnginesAreValid() {
    assertThat(TrackingNumbers.isValid(new TrackingNumbers(Long.MAX_VALUE).next())).isTrue();
    assertThat(TrackingNumbers.isValid(new TrackingNumbers(SERIAL).next())).isTrue();
    assertThat(TrackingNumbers.isValid("42-mjv9xds0-1")).as("issued by an engine before boot ids").isTrue();
    assertThat(TrackingNumbers.isValid("42-" + Long.toUnsignedString(-1, 36) + "-" + Long.toString(Long.MAX_VALUE, 36))).isTrue();
    assertThat(TrackingNumbers.isValid("self-test")).isFalse();
    assertThat(TrackingNumbers.isValid("42-ABC-1")).isFalse();
  }

  @Test
  void oneStartIssuesEachNumberOnceAcrossThreads() throws InterruptedException {
    TrackingNumbers numbers = new TrackingNumbers(SERIAL);
    Set<String> issued = ConcurrentHashMap.newKeySet();
    try (ExecutorService threads = Executors.newFixedThreadPool(8)) {
      IntStream.range(0, 8).forEach(t -> threads.submit(() -> IntStream.range(0, 10_000).forEach(i -> issued.add(numbers.next()))));
    }
    assertThat(issued).hasSize(80_000);
    assertThat(issued.stream().map(TrackingNumbersTest::prefix).distinct()).hasSize(1);
  }

  private static String prefix(String number) {
    return number.substring(0, number.lastIndexOf('-'));
  }
}
