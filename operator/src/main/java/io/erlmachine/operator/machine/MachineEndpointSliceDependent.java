package io.erlmachine.operator.machine;

import io.fabric8.kubernetes.api.model.discovery.v1.EndpointSlice;
import io.javaoperatorsdk.operator.api.config.informer.Informer;
import io.javaoperatorsdk.operator.processing.dependent.kubernetes.KubernetesDependent;

/** Owns the EndpointSlice that points a shared machine's Service at its port on its host pod. */
@KubernetesDependent(informer = @Informer(labelSelector = MachineObjects.MANAGED_SELECTOR))
public class MachineEndpointSliceDependent extends MachineOwnedDependent<EndpointSlice> {
  public MachineEndpointSliceDependent() {
    super(EndpointSlice.class, DesiredMachineObjects::endpointSlice, MachineObjects::serviceName);
  }
}
