package io.erlmachine.operator.machine;

import io.fabric8.kubernetes.api.model.Service;
import io.javaoperatorsdk.operator.api.config.informer.Informer;
import io.javaoperatorsdk.operator.processing.dependent.kubernetes.KubernetesDependent;

/** Owns the Service that gives the machine its DNS name. */
@KubernetesDependent(informer = @Informer(labelSelector = MachineObjects.MANAGED_SELECTOR))
public class MachineServiceDependent extends MachineOwnedDependent<Service> {
  public MachineServiceDependent() {
    super(Service.class, DesiredMachineObjects::service, MachineObjects::serviceName);
  }
}
