package io.erlmachine.operator.machine;

import static org.assertj.core.api.Assertions.assertThat;

import io.erlmachine.api.v1alpha1.Machine;
import io.erlmachine.api.v1alpha1.spec.Hosting;
import io.erlmachine.api.v1alpha1.spec.MachineSpec;
import io.erlmachine.api.v1alpha1.status.MachineStatus;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import org.junit.jupiter.api.Test;

class HostingDecisionTest {
  @Test
  void theSpecDecidesWhenItSaysSomething() {
    assertThat(HostingDecision.of(machine(Hosting.Dedicated, status(5L, Hosting.Shared)))).isEqualTo(Hosting.Dedicated);
    assertThat(HostingDecision.of(machine(Hosting.Shared, status(5L, null)))).isEqualTo(Hosting.Shared);
  }

  @Test
  void otherwiseTheRecordedDecisionStays() {
    assertThat(HostingDecision.of(machine(null, status(5L, Hosting.Shared)))).isEqualTo(Hosting.Shared);
    assertThat(HostingDecision.of(machine(null, status(5L, Hosting.Dedicated)))).isEqualTo(Hosting.Dedicated);
  }

  @Test
  void aMachineFromBeforeSharedHostingStaysDedicatedAndANewOneIsShared() {
    assertThat(HostingDecision.of(machine(null, status(5L, null)))).isEqualTo(Hosting.Dedicated);
    assertThat(HostingDecision.of(machine(null, null))).isEqualTo(Hosting.Shared);
    assertThat(HostingDecision.of(machine(null, status(null, null)))).as("a status without a serial was not written by an older operator")
        .isEqualTo(Hosting.Shared);
  }

  private static MachineStatus status(Long serial, Hosting hosting) {
    return new MachineStatus(1L, null, serial, null, null, null, hosting, null, null);
  }

  private static Machine machine(Hosting hosting, MachineStatus status) {
    Machine machine = new Machine();
    machine.setMetadata(new ObjectMetaBuilder().withName("m").withNamespace("ns").build());
    machine.setSpec(new MachineSpec(null, null, null, null, null, null, hosting));
    machine.setStatus(status);
    return machine;
  }
}
