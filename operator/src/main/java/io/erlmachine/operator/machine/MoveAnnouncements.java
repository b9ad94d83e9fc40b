package io.erlmachine.operator.machine;

import io.javaoperatorsdk.operator.processing.event.ResourceID;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Predicate;

/**
 * Which machines are in a move, as their Moving and Moved events said. A reconcile can read a Machine whose status is
 * older than the operator's last status write (the informer may not have delivered the write yet), so whether a
 * machine was moving is taken from what was announced, and from its status only when nothing was (after an operator
 * restart). Each move is then announced once as it starts and once as it ends, whatever status a reconcile read.
 */
final class MoveAnnouncements {
  private enum Stage { MOVING, ARRIVED }

  private final Map<ResourceID, Stage> stages = new ConcurrentHashMap<>();

  /** Whether the machine was moving: announced so, or its status says so and no arrival was announced since. */
  boolean wasMoving(ResourceID machine, boolean statusSaysMoving) {
    Stage stage = stages.get(machine);
    if (stage == Stage.ARRIVED && !statusSaysMoving) {
      // The status has caught up with the arrival.
      stages.remove(machine, Stage.ARRIVED);
      return false;
    }
    return stage == Stage.MOVING || stage == null && statusSaysMoving;
  }

  /** A move starts; what is kept of machines that are gone is dropped. */
  void started(ResourceID machine, Predicate<ResourceID> gone) {
    stages.keySet().removeIf(gone);
    stages.put(machine, Stage.MOVING);
  }

  void arrived(ResourceID machine) {
    stages.put(machine, Stage.ARRIVED);
  }
}
