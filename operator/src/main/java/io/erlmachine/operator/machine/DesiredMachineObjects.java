package io.erlmachine.operator.machine;

import io.erlmachine.api.v1alpha1.Machine;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServiceAccount;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicy;
import io.javaoperatorsdk.operator.api.reconciler.Context;

/** Everything a Machine owns, as it should be. */
public record DesiredMachineObjects(ServiceAccount serviceAccount, ConfigMap config, Service service,
                                    NetworkPolicy networkPolicy, StatefulSet engine) {
  /** Key under which reconcile() hands these to the dependent resources. */
  public static final String CONTEXT_KEY = DesiredMachineObjects.class.getName();

  static DesiredMachineObjects of(Context<Machine> context) {
    return context.managedWorkflowAndDependentResourceContext().getMandatory(CONTEXT_KEY, DesiredMachineObjects.class);
  }
}
