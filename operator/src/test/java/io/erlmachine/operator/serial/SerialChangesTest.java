package io.erlmachine.operator.serial;

import static org.assertj.core.api.Assertions.assertThat;

import io.erlmachine.api.v1alpha1.ApiGroup;
import io.erlmachine.api.v1alpha1.Machine;
import io.erlmachine.api.v1alpha1.status.MachineStatus;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import org.junit.jupiter.api.Test;

class SerialChangesTest {
  private final SerialChanges filter = new SerialChanges();

  @Test
  void aNewSpecIsReconciled() {
    assertThat(filter.accept(machine(2, "5", 5L), machine(1, "5", 5L))).isTrue();
  }

  @Test
  void aStatusPatchOrTheOperatorsFirstLabelIsNot() {
    assertThat(filter.accept(machine(1, "5", 5L), machine(1, "5", null))).as("first status").isFalse();
    assertThat(filter.accept(machine(1, "5", null), machine(1, null, null))).as("first label").isFalse();
    assertThat(filter.accept(machine(1, "5", 5L), machine(1, "5", 5L))).as("nothing about the serial changed").isFalse();
  }

  @Test
  void aChangedOrRemovedSerialIsReconciled() {
    assertThat(filter.accept(machine(1, "9", 5L), machine(1, "5", 5L))).as("label changed").isTrue();
    assertThat(filter.accept(machine(1, null, 5L), machine(1, "5", 5L))).as("label removed").isTrue();
    assertThat(filter.accept(machine(1, "5", 9L), machine(1, "5", 5L))).as("status serial changed").isTrue();
  }

  private static Machine machine(long generation, String label, Long statusSerial) {
    Machine machine = new Machine();
    var metadata = new ObjectMetaBuilder().withName("m").withNamespace("team").withGeneration(generation);
    if (label != null) {
      metadata.addToLabels(ApiGroup.SERIAL_LABEL, label);
    }
    machine.setMetadata(metadata.build());
    machine.setStatus(new MachineStatus(generation, null, statusSerial, null, null, null));
    return machine;
  }
}
