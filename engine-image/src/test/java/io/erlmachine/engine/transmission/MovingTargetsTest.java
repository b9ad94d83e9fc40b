package io.erlmachine.engine.transmission;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.http.HttpHeaders;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class MovingTargetsTest {
  private static final String TARGET = "ledger.demo.svc.cluster.local";
  private final AtomicLong now = new AtomicLong(1_000_000_000L);
  private final MovingTargets moving = new MovingTargets(Duration.ofSeconds(60), now::get);

  @Test
  void aShuttingDownAnswerHoldsTheTargetsFailuresForItsRetryAfter() {
    assertThat(moving.holdMillis(TARGET)).as("not moving before it said so").isEqualTo(-1);
    moving.answered(TARGET, 503, "ShuttingDown", retryAfter("2"));
    assertThat(moving.holdMillis(TARGET)).isEqualTo(2000);
    assertThat(moving.holdMillis("other.demo.svc.cluster.local")).as("only that target").isEqualTo(-1);
  }

  @Test
  void anAnswerOtherThan503EndsTheMove() {
    moving.answered(TARGET, 503, "ShuttingDown", retryAfter("1"));
    moving.answered(TARGET, 503, "NotLoaded", retryAfter(null));
    assertThat(moving.holdMillis(TARGET)).as("a machine not started yet: still moving").isEqualTo(1000);
    moving.answered(TARGET, 200, null, retryAfter(null));
    assertThat(moving.holdMillis(TARGET)).isEqualTo(-1);
    moving.answered(TARGET, 503, "ShuttingDown", retryAfter("1"));
    moving.answered(TARGET, 404, "NotFound", retryAfter(null));
    assertThat(moving.holdMillis(TARGET)).isEqualTo(-1);
    moving.answered(TARGET, 503, "MailboxFull", retryAfter("1"));
    assertThat(moving.holdMillis(TARGET)).as("a 503 alone does not start a move").isEqualTo(-1);
  }

  @Test
  void thePatienceCountsFromTheFirstShuttingDownAnswerOfAMove() {
    moving.answered(TARGET, 503, "ShuttingDown", retryAfter("1"));
    now.addAndGet(Duration.ofSeconds(59).toNanos());
    moving.answered(TARGET, 503, "ShuttingDown", retryAfter("1"));
    assertThat(moving.holdMillis(TARGET)).isEqualTo(1000);
    assertThat(moving.overdue(TARGET)).isFalse();
    now.addAndGet(Duration.ofSeconds(1).toNanos());
    assertThat(moving.holdMillis(TARGET)).as("60 s after the first refusal, failures count again").isEqualTo(-1);
    assertThat(moving.overdue(TARGET)).isTrue();

    moving.answered(TARGET, 202, null, retryAfter(null));
    moving.answered(TARGET, 503, "ShuttingDown", retryAfter("1"));
    assertThat(moving.holdMillis(TARGET)).as("a later move has a patience of its own").isEqualTo(1000);
  }

  @Test
  void retryAfterIsBounded() {
    assertThat(MovingTargets.retryAfterMillis(retryAfter(null))).isEqualTo(1000);
    assertThat(MovingTargets.retryAfterMillis(retryAfter("0"))).isEqualTo(100);
    assertThat(MovingTargets.retryAfterMillis(retryAfter("3"))).isEqualTo(3000);
    assertThat(MovingTargets.retryAfterMillis(retryAfter("3600"))).isEqualTo(5000);
    assertThat(MovingTargets.retryAfterMillis(retryAfter("99999999999999999"))).isEqualTo(5000);
    assertThat(MovingTargets.retryAfterMillis(retryAfter("-4"))).isEqualTo(100);
    assertThat(MovingTargets.retryAfterMillis(retryAfter("Wed, 21 Oct 2026 07:28:00 GMT"))).isEqualTo(1000);
  }

  @Test
  void aNegativePatienceIsRefused() {
    assertThatThrownBy(() -> new MovingTargets(Duration.ofSeconds(-1))).isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("must not be negative");
  }

  private static HttpHeaders retryAfter(String seconds) {
    return HttpHeaders.of(seconds == null ? Map.of() : Map.of("Retry-After", List.of(seconds)), (name, value) -> true);
  }
}
