package io.erlmachine.operator.status;

import static org.assertj.core.api.Assertions.assertThat;

import io.erlmachine.api.manifests.ManifestSet;
import io.erlmachine.api.v1alpha1.Machine;
import io.erlmachine.api.v1alpha1.status.MachineStatus;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class StatusWriterTest {
  private final List<Machine[]> writes = new ArrayList<>();
  private final StatusWriter<MachineStatus, Machine> statuses = new StatusWriter<>(Machine::new, (primary, patch, context) -> {
    writes.add(new Machine[] {primary, patch});
    return patch;
  });

  @Test
  void writesNothingWhenTheResourceShowsTheStatusAlready() {
    Machine machine = machine();
    MachineStatus same = new MachineStatus(machine.getStatus().observedGeneration(), machine.getStatus().phase(), machine.getStatus().serial(),
        machine.getStatus().dnsName(), null, null, null, null, null);

    assertThat(statuses.writeIfChanged(machine, same, null)).isFalse();
    assertThat(writes).isEmpty();
  }

  @Test
  void writesAChangedStatusAsAPatchOfNameNamespaceAndStatusOnTopOfTheResourceRead() {
    Machine machine = machine();
    MachineStatus changed = new MachineStatus(3L, null, 7L, "front.shop.svc.cluster.local", null, null, null, null, null);

    assertThat(statuses.writeIfChanged(machine, changed, null)).isTrue();
    assertThat(writes).hasSize(1);
    Machine primary = writes.getFirst()[0];
    Machine patch = writes.getFirst()[1];
    assertThat(primary).as("the resource read, whose resourceVersion the write is locked to").isSameAs(machine);
    assertThat(patch.getMetadata().getName()).isEqualTo("front");
    assertThat(patch.getMetadata().getNamespace()).isEqualTo("shop");
    assertThat(patch.getMetadata().getLabels()).as("only the status is applied").isNullOrEmpty();
    assertThat(patch.getSpec()).isNull();
    assertThat(patch.getStatus()).isEqualTo(changed);
    assertThat(machine.getStatus().observedGeneration()).as("the resource read is left as it was").isEqualTo(2L);
  }

  private static Machine machine() {
    return ManifestSet.parse("""
        apiVersion: erlmachine.io/v1alpha1
        kind: Machine
        metadata: {name: front, namespace: shop, uid: u-1, resourceVersion: "42", generation: 3, labels: {tier: web}}
        spec: {gearboxSelector: {matchLabels: {flow: intake}}}
        status: {observedGeneration: 2, phase: Running, serial: 7, dnsName: front.shop.svc.cluster.local}
        """).machines().getFirst();
  }
}
