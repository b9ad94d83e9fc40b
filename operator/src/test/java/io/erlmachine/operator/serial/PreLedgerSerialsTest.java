package io.erlmachine.operator.serial;

import static org.assertj.core.api.Assertions.assertThat;

import io.erlmachine.api.v1alpha1.ApiGroup;
import io.erlmachine.api.v1alpha1.Machine;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class PreLedgerSerialsTest {
  private static final long ISSUED_BELOW = 200;

  @Test
  void labelsOfTheOldOperatorAreAdopted() {
    List<LedgerBinding> adopted = adopt(List.of(machine("a", "uid-a", "2026-01-01T10:00:00Z", "3"), machine("b", "uid-b", "2026-01-01T10:00:01Z", "4")));
    assertThat(adopted).containsExactly(new LedgerBinding(3, "uid-a", "team", "a"), new LedgerBinding(4, "uid-b", "team", "b"));
  }

  @Test
  void ofTwoMachinesClaimingOneSerialTheOlderKeepsIt() {
    Machine copy = machine("copy", "uid-copy", "2026-01-02T08:00:00Z", "7");
    Machine original = machine("original", "uid-original", "2026-01-01T08:00:00Z", "7");
    assertThat(adopt(List.of(copy, original))).extracting(LedgerBinding::uid).containsExactly("uid-original");
  }

  @Test
  void onATieTheNameDecides() {
    Machine beta = machine("beta", "uid-beta", "2026-01-01T08:00:00Z", "7");
    Machine alpha = machine("alpha", "uid-alpha", "2026-01-01T08:00:00Z", "7");
    assertThat(adopt(List.of(beta, alpha))).extracting(LedgerBinding::uid).containsExactly("uid-alpha");
  }

  @Test
  void labelsTheCounterNeverIssuedOrThatAreNoSerialAreNotAdopted() {
    List<Machine> machines = List.of(machine("invented", "uid-1", "2026-01-01T08:00:00Z", Long.toString(ISSUED_BELOW)),
        machine("garbage", "uid-2", "2026-01-01T08:00:00Z", "seven"), machine("zero", "uid-3", "2026-01-01T08:00:00Z", "0"));
    assertThat(adopt(machines)).isEmpty();
  }

  @Test
  void serialsAndMachinesAlreadyInTheLedgerAreLeftAlone() {
    List<Machine> machines = List.of(machine("bound", "uid-bound", "2026-01-01T08:00:00Z", "9"), machine("taken", "uid-new", "2026-01-01T08:00:00Z", "5"));
    assertThat(PreLedgerSerials.adoptions(machines, Set.of("uid-bound")::contains, serial -> serial == 5, ISSUED_BELOW)).isEmpty();
  }

  private static List<LedgerBinding> adopt(List<Machine> machines) {
    return PreLedgerSerials.adoptions(machines, uid -> false, serial -> false, ISSUED_BELOW);
  }

  private static Machine machine(String name, String uid, String created, String label) {
    Machine machine = new Machine();
    machine.setMetadata(new ObjectMetaBuilder().withName(name).withNamespace("team").withUid(uid).withCreationTimestamp(created)
        .addToLabels(ApiGroup.SERIAL_LABEL, label).build());
    return machine;
  }
}
