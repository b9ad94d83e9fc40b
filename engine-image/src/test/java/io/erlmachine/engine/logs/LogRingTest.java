package io.erlmachine.engine.logs;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class LogRingTest {
  private static final Instant T0 = Instant.parse("2026-01-01T10:00:00Z");

  @Test
  void keepsRecordsInOrderWithIncreasingSequenceNumbers() {
    LogRing ring = new LogRing(() -> 1 << 20);
    for (int i = 1; i <= 5; i++) {
      ring.add(T0.plusSeconds(i), "INFO", "box", "gear", "line " + i);
    }
    LogPage page = ring.tail(100);
    assertThat(page.records()).extracting(LogRecord::sequence).containsExactly(1L, 2L, 3L, 4L, 5L);
    assertThat(page.records()).extracting(LogRecord::message).containsExactly("line 1", "line 2", "line 3", "line 4", "line 5");
    assertThat(page.latest()).isEqualTo(5);
    assertThat(page.oldestKept()).isEqualTo(1);
  }

  @Test
  void dropsTheOldestRecordsOnceTheyTakeMoreThanTheBudget() {
    String text = "x".repeat(100);
    long perRecord = new LogRecord(0, T0, "INFO", "b", "g", text).bytes();
    LogRing ring = new LogRing(() -> perRecord * 10);
    for (int i = 0; i < 25; i++) {
      ring.add(T0, "INFO", "b", "g", text);
    }
    LogPage page = ring.tail(100);
    assertThat(page.records()).hasSize(10);
    assertThat(page.oldestKept()).isEqualTo(16);
    assertThat(page.latest()).isEqualTo(25);
    assertThat(ring.keptBytes()).isLessThanOrEqualTo(perRecord * 10);
  }

  @Test
  void alwaysKeepsTheNewestRecordEvenWhenItAloneIsOverTheBudget() {
    LogRing ring = new LogRing(() -> 10);
    ring.add(T0, "INFO", null, null, "first");
    ring.add(T0, "ERROR", null, null, "a line longer than the whole budget");
    assertThat(ring.tail(10).records()).extracting(LogRecord::message).containsExactly("a line longer than the whole budget");
  }

  @Test
  void aShrinkingBudgetIsAppliedAtTheNextWrite() {
    AtomicLong budget = new AtomicLong(1 << 20);
    LogRing ring = new LogRing(budget::get);
    for (int i = 0; i < 100; i++) {
      ring.add(T0, "INFO", "b", "g", "line " + i);
    }
    assertThat(ring.tail(1000).records()).hasSize(100);
    budget.set(ring.keptBytes() / 4);
    ring.add(T0, "INFO", "b", "g", "line 100");
    assertThat(ring.keptBytes()).isLessThanOrEqualTo(budget.get());
    assertThat(ring.tail(1000).records()).hasSizeLessThan(30).last().extracting(LogRecord::message).isEqualTo("line 100");
  }

  @Test
  void tailReturnsTheNewestRecordsOldestFirst() {
    LogRing ring = ringOf(10);
    assertThat(ring.tail(3).records()).extracting(LogRecord::sequence).containsExactly(8L, 9L, 10L);
  }

  @Test
  void afterReturnsTheNextRecordsOnceEach() {
    LogRing ring = ringOf(10);
    LogPage first = ring.after(0, 4);
    assertThat(first.records()).extracting(LogRecord::sequence).containsExactly(1L, 2L, 3L, 4L);
    assertThat(first.missed()).isZero();
    LogPage second = ring.after(4, 4);
    assertThat(second.records()).extracting(LogRecord::sequence).containsExactly(5L, 6L, 7L, 8L);
    assertThat(ring.after(10, 4).records()).isEmpty();
    assertThat(ring.after(10, 4).latest()).isEqualTo(10);
  }

  @Test
  void afterSaysHowManyRecordsWereDroppedBeforeTheyCouldBeRead() {
    long perRecord = new LogRecord(0, T0, "INFO", "b", "g", "line 10").bytes();
    LogRing ring = new LogRing(() -> perRecord * 5);
    for (int i = 1; i <= 20; i++) {
      ring.add(T0, "INFO", "b", "g", "line " + (i < 10 ? "0" + i : i));
    }
    LogPage page = ring.after(3, 100);
    assertThat(page.oldestKept()).isEqualTo(16);
    assertThat(page.missed()).as("records 4 to 15 are gone").isEqualTo(12);
    assertThat(page.records()).extracting(LogRecord::sequence).containsExactly(16L, 17L, 18L, 19L, 20L);
    assertThat(ring.after(17, 100).missed()).isZero();
  }

  @Test
  void sinceReturnsRecordsAtOrAfterATime() {
    LogRing ring = ringOf(10);
    assertThat(ring.since(T0.plusSeconds(7), 100).records()).extracting(LogRecord::sequence).containsExactly(7L, 8L, 9L, 10L);
    assertThat(ring.since(T0.plusSeconds(7), 2).records()).extracting(LogRecord::sequence).containsExactly(7L, 8L);
    assertThat(ring.since(T0.plusSeconds(60), 100).records()).isEmpty();
  }

  @Test
  void anEmptyRingHasNothingAndMissedNothing() {
    LogRing ring = new LogRing(() -> 1000);
    LogPage page = ring.after(0, 10);
    assertThat(page.records()).isEmpty();
    assertThat(page.latest()).isZero();
    assertThat(page.oldestKept()).isZero();
    assertThat(page.missed()).isZero();
  }

  private static LogRing ringOf(int records) {
    LogRing ring = new LogRing(() -> 1 << 20);
    for (int i = 1; i <= records; i++) {
      ring.add(T0.plusSeconds(i), "INFO", "b", "g", "line " + i);
    }
    return ring;
  }
}
