package io.erlmachine.operator.machine;

import static org.assertj.core.api.Assertions.assertThat;

import io.erlmachine.api.host.HostContract;
import io.erlmachine.api.host.MachineReports;
import io.erlmachine.api.v1alpha1.Machine;
import io.erlmachine.api.v1alpha1.spec.Hosting;
import io.erlmachine.api.v1alpha1.status.MachineStatus;
import io.fabric8.kubernetes.api.model.ConditionBuilder;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.api.model.coordination.v1.Lease;
import io.fabric8.kubernetes.api.model.coordination.v1.LeaseBuilder;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

class HostReportEventsTest {
  private static final Instant T0 = Instant.parse("2026-01-01T10:00:00Z");
  private static final String READY = MachineReports.toJson(Map.of("alpha", new MachineReports.Report(7, 1, true, "Running", "gearboxes run")));

  @Test
  void aRenewalInTimeIsNoEventButTheRenewalOfALapsedLeaseIs() {
    Lease renewed = lease(T0.plusSeconds(5));
    assertThat(HostReportEvents.changed(renewed, lease(T0), T0.plusSeconds(5))).as("renewed within its duration").isFalse();
    Lease late = lease(T0.plusSeconds(20));
    assertThat(HostReportEvents.changed(late, lease(T0), T0.plusSeconds(20))).as("renewed after it had lapsed").isTrue();
    assertThat(HostReportEvents.changed(new LeaseBuilder(renewed).editMetadata().addToAnnotations(HostContract.REPORTS_ANNOTATION, "{}")
        .endMetadata().build(), lease(T0), T0.plusSeconds(5))).as("reports changed").isTrue();
  }

  @Test
  void aRenewedLeaseConcernsTheMachinesMarkedForItsLapseAndTheLapseConcernsTheOthersOnTheHost() {
    Machine told = machine("alpha", "erlmachine-host-0", "False", "HostLeaseExpired");
    Machine ready = machine("beta", "erlmachine-host-0", "True", "EngineReady");
    Machine elsewhere = machine("gamma", "erlmachine-host-1", "True", "EngineReady");

    assertThat(HostReportEvents.concerned(lease(T0), Stream.of(told, ready, elsewhere)))
        .as("alpha's report says ready, its status does not; beta has no report and is ready").containsExactlyInAnyOrder(id("alpha"), id("beta"));
    assertThat(HostReportEvents.onLapsedHost("erlmachine-host-0", Stream.of(told, ready, elsewhere))).containsExactly(id("beta"));
  }

  private static ResourceID id(String name) {
    return new ResourceID(name, "ns");
  }

  private static Lease lease(Instant renewed) {
    return new LeaseBuilder().withNewMetadata().withName("erlmachine-host-0").withNamespace("ns")
        .addToAnnotations(HostContract.REPORTS_ANNOTATION, READY).endMetadata()
        .withNewSpec().withHolderIdentity("erlmachine-host-0_5eed").withLeaseDurationSeconds(15)
        .withRenewTime(renewed.atZone(ZoneOffset.UTC)).endSpec().build();
  }

  private static Machine machine(String name, String host, String ready, String reason) {
    Machine machine = new Machine();
    machine.setMetadata(new ObjectMetaBuilder().withName(name).withNamespace("ns").withGeneration(1L).build());
    machine.setStatus(new MachineStatus(1L, null, 7L, null, null, List.of(new ConditionBuilder().withType("Ready").withStatus(ready)
        .withReason(reason).withObservedGeneration(1L).build()), Hosting.Shared, host, 20000));
    return machine;
  }
}
