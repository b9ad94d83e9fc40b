package io.erlmachine.operator.machine;

import io.erlmachine.api.v1alpha1.Machine;
import io.erlmachine.api.v1alpha1.spec.LocalObjectName;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.util.Map;
import java.util.TreeMap;

/** Resolves the objects a Machine refers to, and says precisely what is missing. */
final class MachineReferences {
  private final KubernetesClient client;

  MachineReferences(KubernetesClient client) {
    this.client = client;
  }

  Map<String, String> applicationData(Machine machine) throws MachineProblem {
    LocalObjectName reference = machine.getSpec() == null ? null : machine.getSpec().applicationData();
    if (reference == null) {
      return Map.of();
    }
    String namespace = machine.getMetadata().getNamespace();
    ConfigMap configMap = client.configMaps().inNamespace(namespace).withName(reference.name()).get();
    if (configMap == null) {
      throw new MachineProblem("ApplicationDataNotFound", "spec.applicationData names ConfigMap " + reference.name()
          + ", which does not exist in namespace " + namespace + ": create it, or remove spec.applicationData");
    }
    Map<String, String> data = new TreeMap<>();
    if (configMap.getData() != null) {
      data.putAll(configMap.getData());
    }
    if (configMap.getBinaryData() != null && !configMap.getBinaryData().isEmpty()) {
      throw new MachineProblem("ApplicationDataNotText", "ConfigMap " + reference.name()
          + " has binaryData keys " + configMap.getBinaryData().keySet() + "; application data must be text (use data)");
    }
    return data;
  }
}
