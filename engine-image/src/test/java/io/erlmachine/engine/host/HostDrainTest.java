package io.erlmachine.engine.host;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class HostDrainTest {
  @Test
  void nothingUnfinishedEndsTheDrainAtOnce() {
    HostDrain.Outcome outcome = HostDrain.await(Map::of, Duration.ofSeconds(20));
    assertThat(outcome.complete()).isTrue();
    assertThat(outcome.took()).isLessThan(Duration.ofMillis(100));
  }

  @Test
  void theDrainWaitsUntilTheLastMessageIsHandled() {
    AtomicInteger left = new AtomicInteger(5);
    HostDrain.Outcome outcome = HostDrain.await(() -> left.decrementAndGet() > 0 ? Map.of("ns/alpha", left.get()) : Map.of(),
        Duration.ofSeconds(20));
    assertThat(outcome.complete()).isTrue();
    assertThat(left.get()).isZero();
    assertThat(outcome.took()).as("four looks, 20 ms apart").isGreaterThanOrEqualTo(Duration.ofMillis(80));
  }

  @Test
  void anEngineThatDrainedQuicklyKeepsRefusingForTheRestOfTheMinimum() {
    assertThat(HostDrain.stillRefusing(Duration.ofSeconds(2), Duration.ofMillis(300))).isEqualTo(Duration.ofMillis(1700));
    assertThat(HostDrain.stillRefusing(Duration.ofSeconds(2), Duration.ofSeconds(5))).isZero();
    assertThat(HostDrain.stillRefusing(Duration.ZERO, Duration.ZERO)).isZero();
  }

  @Test
  void theDrainEndsAtItsBoundAndSaysWhatWasLeft() {
    HostDrain.Outcome outcome = HostDrain.await(() -> Map.of("ns/stuck", 3), Duration.ofMillis(300));
    assertThat(outcome.complete()).isFalse();
    assertThat(outcome.unfinished()).containsExactly(Map.entry("ns/stuck", 3));
    assertThat(outcome.took()).isBetween(Duration.ofMillis(300), Duration.ofSeconds(5));
  }
}
