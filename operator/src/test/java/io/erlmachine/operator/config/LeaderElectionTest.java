package io.erlmachine.operator.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class LeaderElectionTest {

  @Test
  void theDefaultTimingsLeaveARenewalRoomForASlowRequestAndRetries() {
    Times defaults = new Times(Duration.ofSeconds(30), Duration.ofSeconds(25), Duration.ofSeconds(2));
    assertThat(LeaderElection.check(defaults)).isSameAs(defaults);
  }

  @Test
  void aRenewDeadlineAsLongAsTheLeaseIsRefused() {
    assertThatThrownBy(() -> LeaderElection.check(new Times(Duration.ofSeconds(20), Duration.ofSeconds(20), Duration.ofSeconds(2))))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("renew-deadline (PT20S) must be shorter than erlmachine.leader-election.lease-duration (PT20S)");
  }

  @Test
  void aRetryPeriodThatAllowsFewerThanTwoAttemptsIsRefused() {
    assertThatThrownBy(() -> LeaderElection.check(new Times(Duration.ofSeconds(30), Duration.ofSeconds(10), Duration.ofSeconds(6))))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("retry-period (PT6S) must be at most half");
  }

  private record Times(Duration leaseDuration, Duration renewDeadline, Duration retryPeriod)
      implements OperatorSettings.LeaderElectionTimes {
  }
}
