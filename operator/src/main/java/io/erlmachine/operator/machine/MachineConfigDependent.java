package io.erlmachine.operator.machine;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.javaoperatorsdk.operator.api.config.informer.Informer;
import io.javaoperatorsdk.operator.processing.dependent.kubernetes.KubernetesDependent;

/** Owns the rendered machine config the engine runs. */
@KubernetesDependent(informer = @Informer(labelSelector = MachineObjects.MANAGED_SELECTOR))
public class MachineConfigDependent extends MachineOwnedDependent<ConfigMap> {
  public MachineConfigDependent() {
    super(ConfigMap.class, DesiredMachineObjects::config);
  }
}
