package io.erlmachine.operator.transmission;

import io.erlmachine.api.config.MachineConfig;
import io.erlmachine.api.v1alpha1.Transmission;
import io.erlmachine.api.v1alpha1.status.ConditionTypes;
import io.erlmachine.api.v1alpha1.status.ResolvedRoute;
import io.erlmachine.api.v1alpha1.status.TransmissionPhase;
import io.erlmachine.api.v1alpha1.status.TransmissionStatus;
import io.erlmachine.operator.status.Conditions;
import io.fabric8.kubernetes.api.model.Condition;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.stream.Collectors;

/** A transmission's status from the routes it resolved to, per source machine. Pure apart from the clock. */
public final class TransmissionStatusCalculator {
  private final Conditions conditions;

  public TransmissionStatusCalculator(Clock clock) {
    this.conditions = new Conditions(clock);
  }

  /**
   * The route of this transmission on each source machine, by source machine name, and why the
   * route cannot run on some of them (such routes are left out of those machines' configs).
   */
  public TransmissionStatus calculate(Transmission transmission, Map<String, MachineConfig.RouteConfig> routesBySource,
                                      Map<String, List<String>> problemsBySource) {
    long generation = Objects.requireNonNullElse(transmission.getMetadata().getGeneration(), 0L);
    List<Condition> previous = transmission.getStatus() == null || transmission.getStatus().conditions() == null ? List.of()
        : transmission.getStatus().conditions();
    List<ResolvedRoute> routes = routesBySource.entrySet().stream()
        .map(entry -> new ResolvedRoute(entry.getKey(), entry.getValue().targets().stream().map(MachineConfig.TargetConfig::dnsName).toList()))
        .toList();
    int pairs = routes.stream().mapToInt(r -> r.to().size()).sum();
    List<String> withoutTargets = routes.stream().filter(r -> r.to().isEmpty()).map(ResolvedRoute::from).toList();
    TransmissionPhase phase;
    String reason;
    String message;
    if (routes.isEmpty()) {
      phase = TransmissionPhase.Pending;
      reason = "NoSourceMachine";
      message = "no Machine in this namespace matches spec.from; messages flow once one does";
    } else if (!problemsBySource.isEmpty()) {
      phase = TransmissionPhase.Unresolved;
      reason = "RouteCannotRun";
      message = problemsBySource.entrySet().stream().map(e -> "on " + e.getKey() + ": " + String.join(", ", e.getValue()))
          .collect(Collectors.joining("; ")) + " (the route is left out of that machine's config until this is fixed)";
    } else if (!withoutTargets.isEmpty()) {
      phase = TransmissionPhase.Unresolved;
      reason = "NoTargetMachine";
      message = "no Machine matches spec.to yet; " + withoutTargets + " dead-letter what they send until one does";
    } else {
      phase = TransmissionPhase.Resolved;
      reason = "RoutesResolved";
      message = routes.size() + " source machine(s) deliver to " + pairs + " target(s)";
    }
    boolean resolved = phase == TransmissionPhase.Resolved;
    return new TransmissionStatus(generation, phase, pairs, routes, List.of(
        conditions.condition(previous, ConditionTypes.READY, resolved, reason, message, generation),
        conditions.condition(previous, ConditionTypes.RESOLVED, resolved, reason, message, generation)));
  }
}
