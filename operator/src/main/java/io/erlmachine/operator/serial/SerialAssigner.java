package io.erlmachine.operator.serial;

import io.erlmachine.api.v1alpha1.ApiGroup;
import io.erlmachine.api.v1alpha1.Machine;
import io.fabric8.kubernetes.client.KubernetesClient;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * Makes a Machine show the serial the ledger holds for it. A Machine without one gets a new
 * serial, written to the ledger first and then to the label {@code erlmachine.io/serial}. A
 * label the operator did not assign to this Machine (copied from another Machine's manifest,
 * invented, or changed by hand) is replaced, and so is a status serial that differs (the
 * status is rewritten from the ledger by the reconcile); each replacement is reported once,
 * with the label's explanation when both were wrong.
 */
@ApplicationScoped
public class SerialAssigner {
  public static final String COPIED_MANIFEST_ADVICE =
      "drop the erlmachine.io/serial label from a copied manifest; the operator assigns serial numbers";

  private final KubernetesClient client;
  private final SerialLedger ledger;

  /** What a user should hear about a serial (a Warning event): its reason and message. A plain first assignment says nothing. */
  public record Notice(String reason, String message) {
  }

  /** The Machine as it now stands (relabelled if needed), its trusted serial, and what to tell the user. */
  public record Outcome(Machine machine, long serial, List<Notice> notices) {
  }

  public SerialAssigner(KubernetesClient client, SerialLedger ledger) {
    this.client = client;
    this.ledger = ledger;
  }

  /** The serial in the machine's label, if it is a serial at all (trusted or not). */
  public static OptionalLong existing(Machine machine) {
    return label(machine).map(SerialAssigner::parse).orElse(OptionalLong.empty());
  }

  /** The serial the operator assigned to this machine, if it has one; empty too while the ledger cannot be read. */
  public OptionalLong trusted(Machine machine) {
    try {
      return ledger.serialOf(machine.getMetadata().getUid());
    } catch (RuntimeException unreadable) {
      return OptionalLong.empty();
    }
  }

  /** Throws if the ledger or the label cannot be written (a lost race included); the reconcile is retried. */
  public Outcome ensure(Machine machine) {
    long serial = ledger.bind(machine);
    List<Notice> notices = new ArrayList<>();
    Optional<String> label = label(machine);
    Machine current = machine;
    Long shown = machine.getStatus() == null ? null : machine.getStatus().serial();
    if (!label.equals(Optional.of(Long.toString(serial)))) {
      current = relabel(machine, serial);
      labelNotice(machine, label, serial).ifPresent(notices::add);
    } else if (shown != null && shown != serial) {
      notices.add(new Notice("SerialStatusReplaced", "status.serial was changed to " + shown
          + ", but the operator assigned serial " + serial + " to this Machine; status.serial shows " + serial + " again"));
    }
    return new Outcome(current, serial, notices);
  }

  /** Nothing for a new Machine (its status shows the serial it got); a Warning for a label that was removed, copied or invented. */
  private Optional<Notice> labelNotice(Machine machine, Optional<String> label, long serial) {
    if (label.isEmpty()) {
      boolean hadSerial = machine.getStatus() != null && machine.getStatus().serial() != null;
      return hadSerial
          ? Optional.of(new Notice("SerialLabelReplaced", "the label " + ApiGroup.SERIAL_LABEL + " was removed; it shows this Machine's serial " + serial + " again"))
          : Optional.empty();
    }
    OptionalLong claimed = parse(label.get());
    Optional<LedgerBinding> holder = claimed.isPresent() ? ledger.holderOf(claimed.getAsLong()) : Optional.empty();
    String why = holder.filter(h -> !h.uid().equals(machine.getMetadata().getUid()))
        .map(h -> "serial " + h.serial() + " belongs to Machine " + h.machine())
        .orElse("the operator did not assign serial " + label.get() + " to this Machine");
    return Optional.of(new Notice("SerialLabelReplaced", "the label " + ApiGroup.SERIAL_LABEL + "=" + label.get() + " was replaced with " + serial
        + ": " + why + ". Serial numbers are unique per Machine; " + COPIED_MANIFEST_ADVICE));
  }

  /** Writes the label with the Machine's resourceVersion, so a concurrent change makes this fail instead of being overwritten. */
  private Machine relabel(Machine machine, long serial) {
    Machine labelled = client.getKubernetesSerialization().clone(machine);
    Map<String, String> labels = new HashMap<>(labelled.getMetadata().getLabels() == null ? Map.of() : labelled.getMetadata().getLabels());
    labels.put(ApiGroup.SERIAL_LABEL, Long.toString(serial));
    labelled.getMetadata().setLabels(labels);
    return client.resource(labelled).lockResourceVersion(machine.getMetadata().getResourceVersion()).update();
  }

  private static Optional<String> label(Machine machine) {
    Map<String, String> labels = machine.getMetadata().getLabels();
    return Optional.ofNullable(labels == null ? null : labels.get(ApiGroup.SERIAL_LABEL));
  }

  private static OptionalLong parse(String value) {
    try {
      long serial = Long.parseLong(value);
      return serial > 0 ? OptionalLong.of(serial) : OptionalLong.empty();
    } catch (NumberFormatException e) {
      return OptionalLong.empty();
    }
  }
}
