package io.erlmachine.operator.machine;

import static org.assertj.core.api.Assertions.assertThat;

import io.erlmachine.api.host.MachineReports;
import io.erlmachine.api.v1alpha1.Machine;
import io.erlmachine.api.v1alpha1.spec.Hosting;
import io.erlmachine.operator.host.HostLease;
import io.erlmachine.operator.host.Placement;
import io.erlmachine.api.v1alpha1.spec.Clutch;
import io.erlmachine.api.v1alpha1.spec.MachineSpec;
import io.erlmachine.api.v1alpha1.status.MachinePhase;
import io.erlmachine.api.v1alpha1.status.MachineStatus;
import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.PodConditionBuilder;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.api.model.apps.StatefulSetBuilder;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class MachineStatusCalculatorTest {
  private static final Instant T0 = Instant.parse("2026-01-01T10:00:00Z");

  @Test
  void readyEngineMakesTheMachineRunning() {
    MachineStatus status = calculator(T0).calculate(machine(Clutch.Engaged), observe(rolledOut(), readyPod()));
    assertThat(status.phase()).isEqualTo(MachinePhase.Running);
    assertThat(condition(status, "Ready")).extracting(Condition::getStatus, Condition::getReason).containsExactly("True", "EngineReady");
    assertThat(condition(status, "Progressing").getStatus()).isEqualTo("False");
    assertThat(condition(status, "Degraded").getStatus()).isEqualTo("False");
    assertThat(status.serial()).isEqualTo(7);
    assertThat(status.observedGeneration()).isEqualTo(3);
  }

  @Test
  void disengagedClutchMakesAReadyMachineSuspended() {
    MachineStatus status = calculator(T0).calculate(machine(Clutch.Disengaged), observe(rolledOut(), readyPod()));
    assertThat(status.phase()).isEqualTo(MachinePhase.Suspended);
    assertThat(condition(status, "Ready").getMessage()).contains("clutch is disengaged");
  }

  @Test
  void aProblemFailsTheMachineWithItsReasonAndMessage() {
    var problem = new MachineProblem("ApplicationDataNotFound", "create ConfigMap x");
    MachineStatus status = calculator(T0).calculate(machine(Clutch.Engaged),
        new MachineStatusCalculator.Observation(7, "m.ns.svc", Optional.of(problem), Optional.empty(), Optional.empty(), Optional.empty()));
    assertThat(status.phase()).isEqualTo(MachinePhase.Failed);
    assertThat(condition(status, "Ready")).extracting(Condition::getStatus, Condition::getReason, Condition::getMessage)
        .containsExactly("False", "ApplicationDataNotFound", "create ConfigMap x");
    assertThat(condition(status, "Degraded").getStatus()).isEqualTo("True");
  }

  @Test
  void unschedulablePodIsExplained() {
    Pod pod = new PodBuilder().withNewMetadata().withName("m-0").endMetadata().withNewStatus()
        .addNewCondition().withType("PodScheduled").withStatus("False").withReason("Unschedulable").withMessage("0/4 nodes are available: 4 Insufficient cpu.").endCondition()
        .endStatus().build();
    MachineStatus status = calculator(T0).calculate(machine(Clutch.Engaged), observe(rolledOut(), pod));
    assertThat(condition(status, "Ready").getReason()).isEqualTo("Unschedulable");
    assertThat(condition(status, "Ready").getMessage()).contains("Insufficient cpu", "lower spec.resources.requests");
    assertThat(condition(status, "Degraded").getStatus()).isEqualTo("True");
  }

  @Test
  void imagePullFailureDegradesTheMachine() {
    Pod pod = new PodBuilder(readyPod()).editStatus().addNewContainerStatus().withName("engine").withNewState().withNewWaiting()
        .withReason("ImagePullBackOff").withMessage("pull access denied").endWaiting().endState().endContainerStatus().endStatus().build();
    MachineStatus status = calculator(T0).calculate(machine(Clutch.Engaged), observe(rolledOut(), pod));
    assertThat(status.phase()).isEqualTo(MachinePhase.Degraded);
    assertThat(condition(status, "Degraded").getReason()).isEqualTo("ImagePullBackOff");
  }

  @Test
  void rolloutInProgressIsProgressing() {
    StatefulSet rolling = new StatefulSetBuilder(rolledOut()).editStatus().withUpdateRevision("r2").endStatus().build();
    MachineStatus status = calculator(T0).calculate(machine(Clutch.Engaged), observe(rolling, readyPod()));
    assertThat(status.phase()).isEqualTo(MachinePhase.Provisioning);
    assertThat(condition(status, "Progressing")).extracting(Condition::getStatus, Condition::getReason).containsExactly("True", "RollingOut");
  }

  @Test
  void unchangedConditionsKeepTheirTransitionTimeSoARecalculationIsEqual() {
    Machine machine = machine(Clutch.Engaged);
    MachineStatus first = calculator(T0).calculate(machine, observe(rolledOut(), readyPod()));
    machine.setStatus(first);
    MachineStatus later = calculator(T0.plusSeconds(600)).calculate(machine, observe(rolledOut(), readyPod()));
    assertThat(later).isEqualTo(first);
  }

  @Test
  void aChangedConditionGetsANewTransitionTime() {
    Machine machine = machine(Clutch.Engaged);
    machine.setStatus(calculator(T0).calculate(machine, observe(rolledOut(), new PodBuilder().withNewMetadata().withName("m-0").endMetadata().build())));
    MachineStatus ready = calculator(T0.plusSeconds(60)).calculate(machine, observe(rolledOut(), readyPod()));
    assertThat(condition(ready, "Ready").getLastTransitionTime()).isEqualTo("2026-01-01T10:01:00Z");
    assertThat(condition(ready, "Degraded").getLastTransitionTime()).isEqualTo("2026-01-01T10:00:00Z");
  }

  @Test
  void aSharedMachineIsReadyWhenItsHostPodIsAndItsHostReportsItsCurrentGeneration() {
    MachineStatus status = calculator(T0).calculate(machine(Clutch.Engaged), shared(Optional.of(hostPod()), Optional.of(report(3, true))));
    assertThat(condition(status, "Ready")).extracting(Condition::getStatus, Condition::getReason).containsExactly("True", "EngineReady");
    assertThat(condition(status, "Ready").getMessage()).contains("erlmachine-host-0", "20005");
    assertThat(status.hosting()).isEqualTo(Hosting.Shared);
    assertThat(status.host()).isEqualTo("erlmachine-host-0");
    assertThat(status.port()).isEqualTo(20005);
  }

  @Test
  void aSharedMachineWaitsForItsHost() {
    assertThat(condition(calculator(T0).calculate(machine(Clutch.Engaged), shared(Optional.empty(), Optional.empty())), "Ready").getMessage())
        .contains("waiting for host pod erlmachine-host-0");
    assertThat(condition(calculator(T0).calculate(machine(Clutch.Engaged), shared(Optional.of(hostPod()), Optional.empty())), "Ready").getReason())
        .isEqualTo("WaitingForHost");
    assertThat(condition(calculator(T0).calculate(machine(Clutch.Engaged), shared(Optional.of(hostPod()), Optional.of(report(2, true)))), "Ready"))
        .extracting(Condition::getReason, Condition::getMessage).containsExactly("WaitingForHost",
            "host erlmachine-host-0 runs generation 2 of the machine; waiting for generation 3");
  }

  @Test
  void aMachineItsHostReportsNotReadyIsDegradedWithTheHostsReason() {
    var report = new MachineReports.Report(7, 3, false, "SelfTestFailed", "self-test totals failed");
    MachineStatus status = calculator(T0).calculate(machine(Clutch.Engaged), shared(Optional.of(hostPod()), Optional.of(report)));
    assertThat(condition(status, "Ready")).extracting(Condition::getStatus, Condition::getReason, Condition::getMessage)
        .containsExactly("False", "SelfTestFailed", "on host erlmachine-host-0: self-test totals failed");
    assertThat(status.phase()).isEqualTo(MachinePhase.Degraded);
  }

  @Test
  void aMachineWhoseHostsLeaseLapsedIsNotReadyWhateverItsLastReportSaid() {
    var lapse = new HostLease.Lapse("erlmachine-host-0_5eed", Instant.parse("2026-01-01T09:59:40.250Z"), Duration.ofSeconds(15));
    var observation = new MachineStatusCalculator.Observation(7, "m.ns.svc.cluster.local", Optional.empty(), Optional.empty(), Optional.empty(),
        Optional.empty(), Hosting.Shared, Optional.of(new MachineStatusCalculator.Shared(new Placement(0, 5), Optional.of(hostPod()),
        Optional.of(report(3, true)), Optional.of(lapse))), Optional.empty());

    MachineStatus status = calculator(T0).calculate(machine(Clutch.Engaged), observation);

    assertThat(condition(status, "Ready")).extracting(Condition::getStatus, Condition::getReason, Condition::getMessage)
        .containsExactly("False", "HostLeaseExpired", "host erlmachine-host-0 has not renewed its Lease since 2026-01-01T09:59:40Z"
            + " (lease duration 15 s): it counts as stopped, and the machine is out of its endpoints until the host renews the Lease"
            + " or a new pod of its name takes it over");
    assertThat(condition(status, "Degraded")).extracting(Condition::getStatus, Condition::getReason).containsExactly("True", "HostLeaseExpired");
    assertThat(status.phase()).isEqualTo(MachinePhase.Degraded);
    assertThat(status.host()).as("it keeps its place").isEqualTo("erlmachine-host-0");
    assertThat(status.port()).isEqualTo(20005);
  }

  @Test
  void aHostPodThatBecameReadyAfterTheLeaseRanOutIsANewOneAboutToTakeIt() {
    var lapse = new HostLease.Lapse("erlmachine-host-0_5eed", Instant.parse("2026-01-01T09:59:40Z"), Duration.ofSeconds(15));
    Pod newPod = new PodBuilder(hostPod()).editStatus().withConditions(new PodConditionBuilder().withType("PodScheduled").withStatus("True").build(),
        new PodConditionBuilder().withType("Ready").withStatus("True").withLastTransitionTime("2026-01-01T09:59:58Z").build()).endStatus().build();
    var observation = new MachineStatusCalculator.Observation(7, "m.ns.svc.cluster.local", Optional.empty(), Optional.empty(), Optional.empty(),
        Optional.empty(), Hosting.Shared, Optional.of(new MachineStatusCalculator.Shared(new Placement(0, 5), Optional.of(newPod),
        Optional.of(report(3, true)), Optional.of(lapse))), Optional.empty());

    MachineStatus status = calculator(T0).calculate(machine(Clutch.Engaged), observation);

    assertThat(condition(status, "Ready")).extracting(Condition::getStatus, Condition::getReason, Condition::getMessage)
        .containsExactly("False", "WaitingForHost", "host pod erlmachine-host-0 has not taken its Lease yet");
    assertThat(condition(status, "Degraded").getStatus()).isEqualTo("False");
  }

  @Test
  void aMovingMachineShowsWhereItStillRuns() {
    var move = new MachineStatusCalculator.Move("host erlmachine-host-0", Optional.of(new Placement(0, 5)));
    MachineStatus status = calculator(T0).calculate(machine(Clutch.Engaged), new MachineStatusCalculator.Observation(7, "m.ns.svc.cluster.local",
        Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty(), Hosting.Dedicated, Optional.empty(), Optional.of(move)));
    assertThat(condition(status, "Ready")).extracting(Condition::getReason, Condition::getMessage)
        .containsExactly("Moving", "moving to a pod of its own; it starts there once host erlmachine-host-0 has stopped it");
    assertThat(status.host()).isEqualTo("erlmachine-host-0");
  }

  @Test
  void aMovedMachineKeepsTheReasonMovingUntilItIsReadyAtItsNewPlaceOrHasAProblemThere() {
    Machine machine = machine(Clutch.Engaged);
    var move = new MachineStatusCalculator.Move("host erlmachine-host-0", Optional.of(new Placement(0, 5)));
    machine.setStatus(calculator(T0).calculate(machine, new MachineStatusCalculator.Observation(7, "m.ns.svc.cluster.local", Optional.empty(),
        Optional.empty(), Optional.empty(), Optional.empty(), Hosting.Dedicated, Optional.empty(), Optional.of(move))));

    Pod starting = new PodBuilder().withNewMetadata().withName("m-0").endMetadata().withNewStatus()
        .addNewCondition().withType("PodScheduled").withStatus("True").endCondition()
        .addNewCondition().withType("Ready").withStatus("False").endCondition()
        .endStatus().build();
    MachineStatus arriving = calculator(T0.plusSeconds(5)).calculate(machine, observe(rolledOut(), starting));
    assertThat(condition(arriving, "Ready")).extracting(Condition::getStatus, Condition::getReason, Condition::getMessage)
        .containsExactly("False", "Moving", "its old place has stopped it; engine pod m-0 is starting");
    assertThat(condition(arriving, "Progressing").getReason()).isEqualTo("EngineStarting");
    assertThat(arriving.host()).as("the old place is no longer shown").isNull();

    machine.setStatus(arriving);
    assertThat(condition(calculator(T0.plusSeconds(10)).calculate(machine, observe(rolledOut(), readyPod())), "Ready"))
        .extracting(Condition::getStatus, Condition::getReason).containsExactly("True", "EngineReady");
    Pod unschedulable = new PodBuilder().withNewMetadata().withName("m-0").endMetadata().withNewStatus()
        .addNewCondition().withType("PodScheduled").withStatus("False").withReason("Unschedulable").withMessage("0/4 nodes are available").endCondition()
        .endStatus().build();
    assertThat(condition(calculator(T0.plusSeconds(10)).calculate(machine, observe(rolledOut(), unschedulable)), "Ready").getReason())
        .isEqualTo("Unschedulable");
  }

  private static MachineStatusCalculator.Observation shared(Optional<Pod> hostPod, Optional<MachineReports.Report> report) {
    return new MachineStatusCalculator.Observation(7, "m.ns.svc.cluster.local", Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty(),
        Hosting.Shared, Optional.of(new MachineStatusCalculator.Shared(new Placement(0, 5), hostPod, report)), Optional.empty());
  }

  private static MachineReports.Report report(long generation, boolean ready) {
    return new MachineReports.Report(7, generation, ready, ready ? "Running" : "NotReady", "");
  }

  private static Pod hostPod() {
    return new PodBuilder(readyPod()).editMetadata().withName("erlmachine-host-0").endMetadata().editStatus().withPodIP("10.0.0.4").endStatus().build();
  }

  private static MachineStatusCalculator calculator(Instant now) {
    return new MachineStatusCalculator(Clock.fixed(now, ZoneOffset.UTC));
  }

  private static MachineStatusCalculator.Observation observe(StatefulSet engine, Pod pod) {
    return new MachineStatusCalculator.Observation(7, "m.ns.svc.cluster.local", Optional.empty(), Optional.of(engine), Optional.of(pod), Optional.empty());
  }

  private static StatefulSet rolledOut() {
    return new StatefulSetBuilder().withNewMetadata().withName("m").withGeneration(2L).endMetadata()
        .withNewStatus().withObservedGeneration(2L).withCurrentRevision("r1").withUpdateRevision("r1").withUpdatedReplicas(1).withReadyReplicas(1).endStatus()
        .build();
  }

  private static Pod readyPod() {
    return new PodBuilder().withNewMetadata().withName("m-0").endMetadata().withNewStatus()
        .addNewCondition().withType("PodScheduled").withStatus("True").endCondition()
        .addNewCondition().withType("Ready").withStatus("True").endCondition()
        .endStatus().build();
  }

  private static Machine machine(Clutch clutch) {
    Machine machine = new Machine();
    machine.setMetadata(new ObjectMetaBuilder().withName("m").withNamespace("ns").withGeneration(3L).build());
    machine.setSpec(new MachineSpec(null, clutch, null, null, null, null));
    return machine;
  }

  private static Condition condition(MachineStatus status, String type) {
    return status.conditions().stream().filter(c -> type.equals(c.getType())).findFirst().orElseThrow();
  }
}
