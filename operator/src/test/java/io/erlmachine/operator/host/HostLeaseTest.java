package io.erlmachine.operator.host;

import static org.assertj.core.api.Assertions.assertThat;

import io.erlmachine.api.host.HostContract;
import io.erlmachine.api.host.MachineReports;
import io.fabric8.kubernetes.api.model.coordination.v1.Lease;
import io.fabric8.kubernetes.api.model.coordination.v1.LeaseBuilder;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Map;
import org.junit.jupiter.api.Test;

class HostLeaseTest {
  private static final Instant RENEWED = Instant.parse("2026-01-01T10:00:00Z");
  private static final String REPORTS = MachineReports.toJson(Map.of("alpha", new MachineReports.Report(7, 1, true, "Running", "gearboxes run")));

  @Test
  void aLeaseRenewedWithinItsDurationIsHeldAndVouchesForItsReports() {
    HostLease lease = HostLease.of(lease("erlmachine-host-0_1", RENEWED), RENEWED.plusSeconds(14));
    assertThat(lease.held()).isTrue();
    assertThat(lease.lapse()).isEmpty();
    assertThat(lease.runs("alpha")).isTrue();
    assertThat(lease.liveReport("alpha")).hasValueSatisfying(report -> assertThat(report.ready()).isTrue());
    assertThat(HostLease.expiry(lease("erlmachine-host-0_1", RENEWED))).contains(RENEWED.plusSeconds(15));
  }

  @Test
  void aLeaseNotRenewedWithinItsDurationHasLapsedFromItsExpiryOn() {
    HostLease lease = HostLease.of(lease("erlmachine-host-0_1", RENEWED), RENEWED.plusSeconds(15));
    assertThat(lease.held()).isFalse();
    assertThat(lease.lapse()).contains(new HostLease.Lapse("erlmachine-host-0_1", RENEWED, Duration.ofSeconds(15)));
    assertThat(lease.lapse().orElseThrow().expired()).isEqualTo(RENEWED.plusSeconds(15));
    assertThat(lease.runs("alpha")).as("a lapsed holder runs nothing").isFalse();
    assertThat(lease.report("alpha")).as("the last report is still there to read").isPresent();
    assertThat(lease.liveReport("alpha")).as("but vouches for nothing").isEmpty();
  }

  @Test
  void aReleasedLeaseHasNeitherAHolderNorALapse() {
    HostLease lease = HostLease.of(lease(null, RENEWED), RENEWED.plusSeconds(60));
    assertThat(lease.held()).isFalse();
    assertThat(lease.lapse()).isEmpty();
    assertThat(HostLease.expiry(lease(null, RENEWED))).isEmpty();
    assertThat(HostLease.of(null, RENEWED)).isEqualTo(HostLease.ABSENT);
  }

  private static Lease lease(String holder, Instant renewed) {
    return new LeaseBuilder().withNewMetadata().withName("erlmachine-host-0").withNamespace("ns")
        .addToAnnotations(HostContract.REPORTS_ANNOTATION, REPORTS).endMetadata()
        .withNewSpec().withHolderIdentity(holder).withLeaseDurationSeconds(15).withRenewTime(renewed.atZone(ZoneOffset.UTC)).endSpec()
        .build();
  }
}
