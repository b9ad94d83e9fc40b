package io.erlmachine.operator.machine;

import io.erlmachine.api.v1alpha1.Machine;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import io.javaoperatorsdk.operator.processing.dependent.kubernetes.CRUDKubernetesDependentResource;
import java.util.function.Function;

/** An object a Machine owns; its desired state is picked from the {@link MachineBlueprint} computed in reconcile(). */
abstract class MachineOwnedDependent<R extends HasMetadata> extends CRUDKubernetesDependentResource<R, Machine> {
  private final Function<DesiredMachineObjects, R> pick;
  private final Function<Machine, String> name;

  MachineOwnedDependent(Class<R> type, Function<DesiredMachineObjects, R> pick, Function<Machine, String> name) {
    super(type);
    this.pick = pick;
    this.name = name;
  }

  /** Found by name, so an object the machine no longer wants (there is no desired one) can still be found and deleted. */
  @Override
  protected ResourceID targetSecondaryResourceID(Machine machine, Context<Machine> context) {
    return new ResourceID(name.apply(machine), machine.getMetadata().getNamespace());
  }

  /** Whether the machine's hosting needs this object at all. */
  boolean wanted(Context<Machine> context) {
    return pick.apply(DesiredMachineObjects.of(context)) != null;
  }

  @Override
  protected R desired(Machine machine, Context<Machine> context) {
    return pick.apply(DesiredMachineObjects.of(context));
  }
}
