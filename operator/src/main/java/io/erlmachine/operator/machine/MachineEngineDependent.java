package io.erlmachine.operator.machine;

import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.javaoperatorsdk.operator.api.config.informer.Informer;
import io.javaoperatorsdk.operator.processing.dependent.kubernetes.KubernetesDependent;

/** Owns the one-replica StatefulSet that runs the engine. */
@KubernetesDependent(informer = @Informer(labelSelector = MachineObjects.MANAGED_SELECTOR))
public class MachineEngineDependent extends MachineOwnedDependent<StatefulSet> {
  public MachineEngineDependent() {
    super(StatefulSet.class, DesiredMachineObjects::engine, MachineObjects::serviceName);
  }
}
