package io.erlmachine.operator.serial;

import io.erlmachine.api.v1alpha1.ApiGroup;
import io.erlmachine.api.v1alpha1.Machine;
import io.fabric8.kubernetes.client.KubernetesClient;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.HashMap;
import java.util.Map;
import java.util.OptionalLong;

/**
 * Gives a Machine its serial number, once. The label erlmachine.io/serial on the Machine is
 * the record: it is written with the Machine's resourceVersion, so if two operator replicas
 * race, one write fails with a conflict and that replica's serial is simply never used.
 */
@ApplicationScoped
public class SerialAssigner {
  private final KubernetesClient client;
  private final SerialNumbers serialNumbers;

  public SerialAssigner(KubernetesClient client, SerialNumbers serialNumbers) {
    this.client = client;
    this.serialNumbers = serialNumbers;
  }

  /** The machine's serial, if it already has a valid one. */
  public static OptionalLong existing(Machine machine) {
    Map<String, String> labels = machine.getMetadata().getLabels();
    String value = labels == null ? null : labels.get(ApiGroup.SERIAL_LABEL);
    if (value == null) {
      return OptionalLong.empty();
    }
    try {
      long serial = Long.parseLong(value);
      return serial > 0 ? OptionalLong.of(serial) : OptionalLong.empty();
    } catch (NumberFormatException e) {
      return OptionalLong.empty();
    }
  }

  /** Labels the machine with a new serial and returns the updated Machine; throws on a lost race (the reconcile is retried). */
  public Machine assign(Machine machine) {
    long serial = serialNumbers.next();
    Machine labelled = client.getKubernetesSerialization().clone(machine);
    Map<String, String> labels = new HashMap<>(labelled.getMetadata().getLabels() == null ? Map.of() : labelled.getMetadata().getLabels());
    labels.put(ApiGroup.SERIAL_LABEL, Long.toString(serial));
    labelled.getMetadata().setLabels(labels);
    return client.resource(labelled).lockResourceVersion(machine.getMetadata().getResourceVersion()).update();
  }
}
