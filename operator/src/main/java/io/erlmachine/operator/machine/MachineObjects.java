package io.erlmachine.operator.machine;

import io.erlmachine.api.v1alpha1.ApiGroup;
import io.erlmachine.api.v1alpha1.Machine;
import io.erlmachine.operator.serial.SerialAssigner;
import io.fabric8.kubernetes.api.model.ObjectMeta;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import java.util.Map;
import java.util.TreeMap;

/** Names and labels of the objects a Machine owns. */
public final class MachineObjects {
  public static final String MANAGED_BY = "app.kubernetes.io/managed-by";
  public static final String OPERATOR = "erlmachine-operator";
  public static final String MANAGED_SELECTOR = MANAGED_BY + "=" + OPERATOR;
  public static final String CONFIG_KEY = "machine.yaml";
  public static final int HTTP_PORT = 8080;

  private MachineObjects() {
  }

  /** The Service, StatefulSet and NetworkPolicy share the Machine's name, so its DNS name is the Machine's. */
  public static String serviceName(Machine machine) {
    return machine.getMetadata().getName();
  }

  public static String configMapName(Machine machine) {
    return machine.getMetadata().getName() + "-config";
  }

  public static String serviceAccountName(Machine machine) {
    return machine.getMetadata().getName() + "-engine";
  }

  /** Selects the machine's pods; stable for the machine's whole life. */
  /** The machine's DNS name: its Service in its namespace. */
  public static String dnsName(Machine machine, String clusterDomain) {
    return io.erlmachine.api.config.TransmissionRenderer.dnsName(serviceName(machine), machine.getMetadata().getNamespace(), clusterDomain);
  }

  public static Map<String, String> selector(Machine machine) {
    return Map.of(ApiGroup.MACHINE_LABEL, machine.getMetadata().getName());
  }

  public static Map<String, String> labels(Machine machine) {
    Map<String, String> labels = new TreeMap<>(selector(machine));
    labels.put("app.kubernetes.io/name", "erlmachine-engine");
    labels.put("app.kubernetes.io/instance", machine.getMetadata().getName());
    labels.put(MANAGED_BY, OPERATOR);
    SerialAssigner.existing(machine).ifPresent(serial -> labels.put(ApiGroup.SERIAL_LABEL, Long.toString(serial)));
    return labels;
  }

  public static ObjectMeta metadata(Machine machine, String name) {
    return new ObjectMetaBuilder().withName(name).withNamespace(machine.getMetadata().getNamespace()).withLabels(labels(machine)).build();
  }
}
