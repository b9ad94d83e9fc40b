package io.erlmachine.engine.host.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.coordination.v1.Lease;
import io.fabric8.kubernetes.api.model.coordination.v1.LeaseBuilder;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import org.junit.jupiter.api.Test;

class LeaseObservationTest {
  private static final Duration DURATION = Duration.ofSeconds(15);
  private static final Instant NOW = Instant.parse("2026-12-02T12:00:00Z");
  private static final long SECOND = 1_000_000_000L;

  @Test
  void aFreeLeaseOrOneHeldByThisProcessMayBeTaken() {
    LeaseObservation observation = new LeaseObservation(DURATION);
    assertThat(observation.mayTake(lease("1", null, NOW), "host-0_b", NOW, 0)).isTrue();
    assertThat(observation.mayTake(lease("2", "", NOW), "host-0_b", NOW, 0)).isTrue();
    assertThat(observation.mayTake(lease("3", "host-0_b", NOW), "host-0_b", NOW, 0)).isTrue();
  }

  @Test
  void anotherHoldersLeaseMayBeTakenOnlyOnceItsRenewTimeIsALeaseDurationOld() {
    LeaseObservation observation = new LeaseObservation(DURATION);
    Instant renewed = NOW.minusSeconds(14);
    assertThat(observation.mayTake(lease("1", "host-0_a", renewed), "host-0_b", NOW, 0)).isFalse();
    assertThat(observation.mayTake(lease("1", "host-0_a", renewed), "host-0_b", NOW.plusSeconds(2), 2 * SECOND)).isTrue();
  }

  @Test
  void aLeaseThatStopsChangingExpiresAfterALeaseDurationOfWatchingEvenWhenTheClocksDisagree() {
    LeaseObservation observation = new LeaseObservation(DURATION);
    Instant future = NOW.plusSeconds(3600);
    assertThat(observation.mayTake(lease("7", "host-0_a", future), "host-0_b", NOW, 0)).isFalse();
    assertThat(observation.mayTake(lease("8", "host-0_a", future), "host-0_b", NOW, 10 * SECOND)).as("renewed meanwhile").isFalse();
    assertThat(observation.mayTake(lease("8", "host-0_a", future), "host-0_b", NOW, 24 * SECOND)).isFalse();
    assertThat(observation.mayTake(lease("8", "host-0_a", future), "host-0_b", NOW, 25 * SECOND)).isTrue();
  }

  private static Lease lease(String version, String holder, Instant renewed) {
    return new LeaseBuilder().withNewMetadata().withName("host-0").withResourceVersion(version).endMetadata()
        .withNewSpec().withHolderIdentity(holder).withLeaseDurationSeconds(15).withRenewTime(renewed.atZone(ZoneOffset.UTC)).endSpec()
        .build();
  }
}
