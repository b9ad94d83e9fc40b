package io.erlmachine.operator.machine;

import io.erlmachine.api.v1alpha1.Machine;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.api.reconciler.dependent.DependentResource;
import io.javaoperatorsdk.operator.processing.dependent.workflow.Condition;

/**
 * Reconcile precondition of the objects only one kind of hosting needs: met when the blueprint
 * asked for the object. When it is not met, the workflow deletes the object (and whatever
 * depends on it), so a machine that changes hosting leaves nothing of its old objects behind.
 */
public class WantedByBlueprint implements Condition<Object, Machine> {
  @Override
  public boolean isMet(DependentResource<Object, Machine> dependentResource, Machine primary, Context<Machine> context) {
    return ((MachineOwnedDependent<?>) dependentResource).wanted(context);
  }
}
