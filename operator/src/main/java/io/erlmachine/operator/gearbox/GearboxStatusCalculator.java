package io.erlmachine.operator.gearbox;

import io.erlmachine.api.v1alpha1.Gearbox;
import io.erlmachine.api.v1alpha1.Machine;
import io.erlmachine.api.v1alpha1.status.ConditionTypes;
import io.erlmachine.api.v1alpha1.status.GearboxPhase;
import io.erlmachine.api.v1alpha1.status.GearboxPlacement;
import io.erlmachine.api.v1alpha1.status.GearboxStatus;
import io.erlmachine.operator.status.Conditions;
import io.fabric8.kubernetes.api.model.Condition;
import java.time.Clock;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * A gearbox's status from what is known about it: whether its sources resolve, and the machines
 * that select it with their readiness (a machine is ready only when its engine has loaded its
 * gearboxes, passed their gating self-tests and has no degraded gearbox). Pure apart from the clock.
 */
public final class GearboxStatusCalculator {
  private final Conditions conditions;

  public GearboxStatusCalculator(Clock clock) {
    this.conditions = new Conditions(clock);
  }

  /** What the reconciler found: a problem with the sources (if any) and the selecting machines. */
  public record Observation(Optional<GearboxProblem> problem, List<Machine> machines) {
  }

  public GearboxStatus calculate(Gearbox gearbox, Observation observation) {
    long generation = Objects.requireNonNullElse(gearbox.getMetadata().getGeneration(), 0L);
    List<Condition> previous = gearbox.getStatus() == null || gearbox.getStatus().conditions() == null ? List.of()
        : gearbox.getStatus().conditions();
    List<GearboxPlacement> placements = observation.machines().stream()
        .sorted(Comparator.comparing(m -> m.getMetadata().getName()))
        .map(m -> placement(gearbox, m))
        .toList();
    long loaded = placements.stream().filter(GearboxPlacement::loaded).count();

    GearboxPhase phase;
    String reason;
    String message;
    if (observation.problem().isPresent()) {
      phase = GearboxPhase.Invalid;
      reason = observation.problem().get().reason();
      message = observation.problem().get().message();
    } else if (placements.isEmpty()) {
      phase = GearboxPhase.Pending;
      reason = "NoMachineSelectsIt";
      message = "no Machine in this namespace selects this gearbox: give it labels that a Machine's spec.gearboxSelector matches";
    } else if (loaded < placements.size()) {
      phase = GearboxPhase.Placed;
      reason = "MachinesNotReady";
      message = "placed on " + placements.size() + " machine(s); not ready yet: " + placements.stream()
          .filter(p -> !p.loaded()).map(GearboxPlacement::machine).toList() + " (see their Ready condition)";
    } else {
      phase = GearboxPhase.Running;
      reason = "RunningOnAllMachines";
      message = "running on " + placements.size() + " machine(s)";
    }
    boolean valid = observation.problem().isEmpty();
    List<Condition> newConditions = List.of(
        conditions.condition(previous, ConditionTypes.READY, phase == GearboxPhase.Running, reason, message, generation),
        conditions.condition(previous, ConditionTypes.VALID, valid, valid ? "SourcesValid" : reason,
            valid ? "every source and tool resolves and parses" : message, generation));
    return new GearboxStatus(generation, phase, gearbox.getSpec().gears().size(), placements.size(), placements, newConditions);
  }

  /**
   * A ready engine has passed every self-test that gates its readiness, so those counts are
   * known once the machine is ready; before that, or when self-tests do not gate readiness,
   * the engine's own API tells (GET /api/v1/gearboxes/{gearbox}/self-tests).
   */
  private static GearboxPlacement placement(Gearbox gearbox, Machine machine) {
    boolean loaded = ready(machine);
    boolean gating = !Boolean.FALSE.equals(gearbox.getSpec().selfTestsGateReadiness());
    int declared = gearbox.getSpec().selfTests() == null ? 0 : gearbox.getSpec().selfTests().size();
    return loaded && gating ? new GearboxPlacement(machine.getMetadata().getName(), true, declared, 0)
        : new GearboxPlacement(machine.getMetadata().getName(), loaded, null, null);
  }

  private static boolean ready(Machine machine) {
    return machine.getStatus() != null && machine.getStatus().conditions() != null && machine.getStatus().conditions().stream()
        .anyMatch(c -> ConditionTypes.READY.equals(c.getType()) && "True".equals(c.getStatus()));
  }
}
