package io.erlmachine.operator.serial;

import io.erlmachine.api.v1alpha1.Machine;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.OptionalLong;
import java.util.Set;
import java.util.function.LongPredicate;
import java.util.function.Predicate;

/**
 * Which serial labels written before the ledger existed the ledger adopts, once, on upgrade.
 * Before the ledger, the label was the only record, so a label is adopted when the counter
 * could have issued it (it is below the counter's next serial), its Machine has no serial in
 * the ledger yet, and no older Machine claims the same serial: of two Machines with the same
 * label (a copied manifest), the older one (creationTimestamp, then namespace and name) keeps
 * it. Every label not adopted is replaced by the operator afterwards.
 */
final class PreLedgerSerials {
  static final Comparator<Machine> OLDEST_FIRST = Comparator
      .comparing((Machine machine) -> creation(machine))
      .thenComparing(machine -> machine.getMetadata().getNamespace())
      .thenComparing(machine -> machine.getMetadata().getName());

  private PreLedgerSerials() {
  }

  static List<LedgerBinding> adoptions(List<Machine> labelled, Predicate<String> uidBound, LongPredicate serialBound, long issuedBelow) {
    List<LedgerBinding> adopted = new ArrayList<>();
    Set<Long> claimed = new HashSet<>();
    labelled.stream().sorted(OLDEST_FIRST).forEach(machine -> {
      OptionalLong label = SerialAssigner.existing(machine);
      if (label.isEmpty() || label.getAsLong() >= issuedBelow || uidBound.test(machine.getMetadata().getUid())) {
        return;
      }
      long serial = label.getAsLong();
      if (!serialBound.test(serial) && claimed.add(serial)) {
        adopted.add(LedgerBinding.of(serial, machine));
      }
    });
    return adopted;
  }

  private static Instant creation(Machine machine) {
    String timestamp = machine.getMetadata().getCreationTimestamp();
    return timestamp == null ? Instant.MAX : Instant.parse(timestamp);
  }
}
