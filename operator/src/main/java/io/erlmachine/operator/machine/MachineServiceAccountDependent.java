package io.erlmachine.operator.machine;

import io.fabric8.kubernetes.api.model.ServiceAccount;
import io.javaoperatorsdk.operator.api.config.informer.Informer;
import io.javaoperatorsdk.operator.processing.dependent.kubernetes.KubernetesDependent;

/** Owns the engine's identity, with no API token mounted. */
@KubernetesDependent(informer = @Informer(labelSelector = MachineObjects.MANAGED_SELECTOR))
public class MachineServiceAccountDependent extends MachineOwnedDependent<ServiceAccount> {
  public MachineServiceAccountDependent() {
    super(ServiceAccount.class, DesiredMachineObjects::serviceAccount, MachineObjects::serviceAccountName);
  }
}
