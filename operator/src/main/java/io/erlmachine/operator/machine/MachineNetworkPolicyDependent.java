package io.erlmachine.operator.machine;

import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicy;
import io.javaoperatorsdk.operator.api.config.informer.Informer;
import io.javaoperatorsdk.operator.processing.dependent.kubernetes.KubernetesDependent;

/** Owns the deny-by-default NetworkPolicy of the engine pod. */
@KubernetesDependent(informer = @Informer(labelSelector = MachineObjects.MANAGED_SELECTOR))
public class MachineNetworkPolicyDependent extends MachineOwnedDependent<NetworkPolicy> {
  public MachineNetworkPolicyDependent() {
    super(NetworkPolicy.class, DesiredMachineObjects::networkPolicy, MachineObjects::serviceName);
  }
}
