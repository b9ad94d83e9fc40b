package io.erlmachine.operator.serial;

import io.erlmachine.api.v1alpha1.ApiGroup;
import io.erlmachine.api.v1alpha1.Machine;
import io.javaoperatorsdk.operator.processing.event.source.filter.OnUpdateFilter;
import java.util.Map;
import java.util.Objects;

/**
 * Which Machine updates are worth a reconcile: a new spec (generation), deletion, or a serial
 * label or status serial that someone else changed. The last two do not change the
 * generation, so without this a forged label would stand until the next resync. The
 * operator's own first label and first status serial are left out: the reconcile that wrote
 * them is still running.
 */
public class SerialChanges implements OnUpdateFilter<Machine> {
  @Override
  public boolean accept(Machine updated, Machine old) {
    Long oldGeneration = old.getMetadata().getGeneration();
    boolean newSpec = oldGeneration == null || oldGeneration < Objects.requireNonNullElse(updated.getMetadata().getGeneration(), 0L);
    return newSpec || updated.isMarkedForDeletion() || changedOnceSet(label(old), label(updated)) || changedOnceSet(statusSerial(old), statusSerial(updated));
  }

  private static boolean changedOnceSet(Object before, Object after) {
    return before != null && !before.equals(after);
  }

  private static String label(Machine machine) {
    Map<String, String> labels = machine.getMetadata().getLabels();
    return labels == null ? null : labels.get(ApiGroup.SERIAL_LABEL);
  }

  private static Long statusSerial(Machine machine) {
    return machine.getStatus() == null ? null : machine.getStatus().serial();
  }
}
