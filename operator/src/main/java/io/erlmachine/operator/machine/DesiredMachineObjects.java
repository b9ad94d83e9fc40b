package io.erlmachine.operator.machine;

import io.erlmachine.api.v1alpha1.Machine;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServiceAccount;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointSlice;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicy;
import io.javaoperatorsdk.operator.api.reconciler.Context;

/**
 * Everything a Machine owns, as it should be. An object the machine's hosting does not need is
 * null: its dependent's precondition ({@link WantedByBlueprint}) then fails and the workflow
 * deletes it, which is how a machine moves between shared and dedicated hosting.
 */
public record DesiredMachineObjects(ServiceAccount serviceAccount, ConfigMap config, Service service,
                                    NetworkPolicy networkPolicy, StatefulSet engine, EndpointSlice endpointSlice) {
  /** Key under which reconcile() hands these to the dependent resources. */
  public static final String CONTEXT_KEY = DesiredMachineObjects.class.getName();

  /** The same objects without the engine: it may not start until the machine stopped where it ran before. */
  DesiredMachineObjects withoutEngine() {
    return new DesiredMachineObjects(serviceAccount, config, service, networkPolicy, null, endpointSlice);
  }

  static DesiredMachineObjects of(Context<Machine> context) {
    return context.managedWorkflowAndDependentResourceContext().getMandatory(CONTEXT_KEY, DesiredMachineObjects.class);
  }
}
