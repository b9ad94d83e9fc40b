package io.erlmachine.operator.machine;

import io.erlmachine.api.host.MachineReports;
import io.erlmachine.api.v1alpha1.Machine;
import io.erlmachine.api.v1alpha1.spec.Hosting;
import io.erlmachine.api.v1alpha1.spec.Clutch;
import io.erlmachine.api.v1alpha1.status.ConditionTypes;
import io.erlmachine.api.v1alpha1.status.MachinePhase;
import io.erlmachine.api.v1alpha1.status.MachineStatus;
import io.fabric8.kubernetes.api.model.Condition;
import io.erlmachine.operator.host.HostLease;
import io.erlmachine.operator.host.Placement;
import io.erlmachine.operator.status.Conditions;
import io.fabric8.kubernetes.api.model.ContainerStatus;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodCondition;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import java.time.Clock;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * Turns what the operator observed about a machine into its status: Ready, Progressing and
 * Degraded conditions with reasons a user can act on, and a phase. Pure apart from the clock;
 * a condition keeps its lastTransitionTime while its status does not change.
 */
public final class MachineStatusCalculator {
  /** Ready reason while a machine waits for its old place to stop it. */
  static final String MOVING = "Moving";
  /** Event reason when a machine is Ready at its new place after a move. */
  static final String MOVED = "Moved";
  /** Ready reason while the machine's host has not renewed its Lease within the Lease's duration. */
  static final String HOST_LEASE_EXPIRED = "HostLeaseExpired";
  private static final Set<String> STUCK_CONTAINER_REASONS =
      Set.of("ImagePullBackOff", "ErrImagePull", "InvalidImageName", "CrashLoopBackOff", "CreateContainerConfigError", "CreateContainerError");

  /**
   * What the operator saw: a dedicated machine's engine workload and its pod (either may be
   * absent), or a shared machine's place, host pod and report; or a problem that stopped it.
   * {@code moving} says where the machine still runs while it moves (it starts at its new place
   * only once it stopped there).
   */
  public record Observation(long serial, String dnsName, Optional<MachineProblem> problem, Optional<StatefulSet> engine, Optional<Pod> pod,
                            Optional<List<String>> gearboxes, Hosting hosting, Optional<Shared> shared, Optional<Move> moving) {
    /** A dedicated machine that is not moving. */
    public Observation(long serial, String dnsName, Optional<MachineProblem> problem, Optional<StatefulSet> engine, Optional<Pod> pod,
                       Optional<List<String>> gearboxes) {
      this(serial, dnsName, problem, engine, pod, gearboxes, Hosting.Dedicated, Optional.empty(), Optional.empty());
    }
  }

  /** Where a moving machine still runs: a description, and the host place it keeps showing until it stopped there. */
  public record Move(String from, Optional<Placement> stillAt) {
  }

  /**
   * A shared machine's place, its host pod if it exists, what the host last reported about the machine, and whether
   * the host's Lease has lapsed (then the report vouches for nothing).
   */
  public record Shared(Placement placement, Optional<Pod> hostPod, Optional<MachineReports.Report> report, Optional<HostLease.Lapse> lapse) {
    public Shared(Placement placement, Optional<Pod> hostPod, Optional<MachineReports.Report> report) {
      this(placement, hostPod, report, Optional.empty());
    }
  }

  private record Verdict(MachinePhase phase, boolean ready, String readyReason, String readyMessage,
                         boolean progressing, String progressingReason, boolean degraded, String degradedReason, String degradedMessage) {
  }

  private final Conditions conditions;

  public MachineStatusCalculator(Clock clock) {
    this.conditions = new Conditions(clock);
  }

  public MachineStatus calculate(Machine machine, Observation observation) {
    long generation = Objects.requireNonNullElse(machine.getMetadata().getGeneration(), 0L);
    List<Condition> previous = machine.getStatus() == null || machine.getStatus().conditions() == null ? List.of() : machine.getStatus().conditions();
    Verdict verdict = arriving(previous, verdict(machine, observation));
    List<Condition> conditions = List.of(
        condition(previous, ConditionTypes.READY, verdict.ready(), verdict.readyReason(), verdict.readyMessage(), generation),
        condition(previous, ConditionTypes.PROGRESSING, verdict.progressing(), verdict.progressingReason(),
            verdict.progressing() ? verdict.readyMessage() : "the engine runs the current spec", generation),
        condition(previous, ConditionTypes.DEGRADED, verdict.degraded(), verdict.degradedReason(), verdict.degradedMessage(), generation));
    List<String> gearboxes = observation.gearboxes().orElse(machine.getStatus() == null ? null : machine.getStatus().gearboxes());
    Optional<Placement> placement = observation.moving().isPresent() ? observation.moving().get().stillAt()
        : observation.shared().map(Shared::placement);
    return new MachineStatus(generation, verdict.phase(), observation.serial(), observation.dnsName(), gearboxes, conditions,
        observation.hosting(), placement.map(Placement::hostName).orElse(null), placement.map(Placement::port).orElse(null));
  }

  /**
   * A move ends when the machine is Ready at its new place, not when its old place has stopped it: until then a machine
   * that was moving keeps the Ready reason Moving, with what it waits for now, so that the end of the move is seen (and
   * recorded as Moved). A problem at the new place ends the move's reason.
   */
  private static Verdict arriving(List<Condition> previous, Verdict verdict) {
    boolean wasMoving = previous.stream().anyMatch(c -> ConditionTypes.READY.equals(c.getType()) && MOVING.equals(c.getReason()));
    if (!wasMoving || verdict.ready() || verdict.degraded() || MOVING.equals(verdict.readyReason())) {
      return verdict;
    }
    return new Verdict(verdict.phase(), false, MOVING, "its old place has stopped it; " + verdict.readyMessage(),
        verdict.progressing(), verdict.progressingReason(), false, verdict.degradedReason(), verdict.degradedMessage());
  }

  private Verdict verdict(Machine machine, Observation observation) {
    if (observation.problem().isPresent()) {
      MachineProblem problem = observation.problem().get();
      return new Verdict(MachinePhase.Failed, false, problem.reason(), problem.getMessage(), false, problem.reason(), true, problem.reason(), problem.getMessage());
    }
    if (observation.moving().isPresent()) {
      String to = observation.hosting() == Hosting.Dedicated ? "a pod of its own"
          : observation.shared().map(s -> "host " + s.placement().hostName() + ", port " + s.placement().port()).orElse("a host");
      return progressing(MachinePhase.Provisioning, MOVING, "moving to " + to + "; it starts there once " + observation.moving().get().from() + " has stopped it");
    }
    if (observation.shared().isPresent()) {
      return sharedVerdict(machine, observation.serial(), observation.shared().get());
    }
    if (observation.engine().isEmpty()) {
      return progressing(MachinePhase.Pending, "CreatingObjects", "creating the engine's StatefulSet, Service, NetworkPolicy and config");
    }
    Optional<Pod> pod = observation.pod();
    if (pod.isEmpty()) {
      return progressing(MachinePhase.Provisioning, "WaitingForPod", "waiting for the StatefulSet to create the engine pod");
    }
    Optional<PodCondition> unschedulable = podCondition(pod.get(), "PodScheduled").filter(c -> "False".equals(c.getStatus()));
    if (unschedulable.isPresent()) {
      String message = "the engine pod cannot be scheduled: " + unschedulable.get().getMessage()
          + "; lower spec.resources.requests or add cluster capacity";
      return new Verdict(MachinePhase.Pending, false, "Unschedulable", message, true, "Unschedulable", true, "Unschedulable", message);
    }
    Optional<ContainerStatus> stuck = stuckContainer(pod.get());
    if (stuck.isPresent()) {
      var waiting = stuck.get().getState().getWaiting();
      String message = "the engine container is stuck in " + waiting.getReason() + ": " + Objects.requireNonNullElse(waiting.getMessage(), "no details")
          + "; check the operator's engine image setting";
      return new Verdict(MachinePhase.Degraded, false, waiting.getReason(), message, false, waiting.getReason(), true, waiting.getReason(), message);
    }
    boolean podReady = podCondition(pod.get(), "Ready").map(c -> "True".equals(c.getStatus())).orElse(false);
    if (rollingOut(observation.engine().get())) {
      return progressing(MachinePhase.Provisioning, "RollingOut", "rolling out the engine pod for the new spec");
    }
    if (!podReady) {
      return progressing(MachinePhase.Provisioning, "EngineStarting", "engine pod " + pod.get().getMetadata().getName() + " is starting");
    }
    boolean suspended = machine.getSpec() != null && machine.getSpec().clutch() == Clutch.Disengaged;
    return new Verdict(suspended ? MachinePhase.Suspended : MachinePhase.Running, true, "EngineReady",
        "engine pod " + pod.get().getMetadata().getName() + " is ready" + (suspended ? "; the clutch is disengaged, so no messages flow" : ""),
        false, "RolloutComplete", false, "AsExpected", "nothing needs attention");
  }

  private Verdict sharedVerdict(Machine machine, long serial, Shared shared) {
    String host = shared.placement().hostName();
    if (shared.hostPod().isEmpty()) {
      return progressing(MachinePhase.Provisioning, "WaitingForHost", "waiting for host pod " + host + " to be created");
    }
    Pod pod = shared.hostPod().get();
    Optional<PodCondition> unschedulable = podCondition(pod, "PodScheduled").filter(c -> "False".equals(c.getStatus()));
    if (unschedulable.isPresent()) {
      String message = "host pod " + host + " cannot be scheduled: " + unschedulable.get().getMessage()
          + "; lower the operator's erlmachine.hosts memory and CPU requests or add cluster capacity";
      return new Verdict(MachinePhase.Pending, false, "Unschedulable", message, true, "Unschedulable", true, "Unschedulable", message);
    }
    Optional<ContainerStatus> stuck = stuckContainer(pod);
    if (stuck.isPresent()) {
      var waiting = stuck.get().getState().getWaiting();
      String message = "host pod " + host + " is stuck in " + waiting.getReason() + ": " + Objects.requireNonNullElse(waiting.getMessage(), "no details")
          + "; check the operator's engine image setting";
      return new Verdict(MachinePhase.Degraded, false, waiting.getReason(), message, false, waiting.getReason(), true, waiting.getReason(), message);
    }
    if (!ready(pod)) {
      return progressing(MachinePhase.Provisioning, "WaitingForHost", "host pod " + host + " is starting");
    }
    if (shared.lapse().isPresent()) {
      HostLease.Lapse lapse = shared.lapse().get();
      if (readySince(pod).map(since -> !since.isBefore(lapse.expired())).orElse(false)) {
        // A pod that became ready after the Lease ran out is a new one of the host's name, about to take the Lease.
        return progressing(MachinePhase.Provisioning, "WaitingForHost", "host pod " + host + " has not taken its Lease yet");
      }
      String message = "host " + host + " has not renewed its Lease since " + lapse.lastRenewal().truncatedTo(ChronoUnit.SECONDS)
          + " (lease duration " + lapse.leaseDuration().toSeconds() + " s): it counts as stopped, and the machine is out of its endpoints"
          + " until the host renews the Lease or a new pod of its name takes it over";
      return new Verdict(MachinePhase.Degraded, false, HOST_LEASE_EXPIRED, message, false, HOST_LEASE_EXPIRED, true, HOST_LEASE_EXPIRED, message);
    }
    long generation = Objects.requireNonNullElse(machine.getMetadata().getGeneration(), 0L);
    Optional<MachineReports.Report> report = shared.report();
    if (report.isEmpty()) {
      return progressing(MachinePhase.Provisioning, "WaitingForHost", "host " + host + " has not reported the machine yet");
    }
    if (report.get().serial() != serial || report.get().generation() < generation) {
      return progressing(MachinePhase.Provisioning, "WaitingForHost", "host " + host + " runs generation " + report.get().generation()
          + " of the machine; waiting for generation " + generation);
    }
    if (!report.get().ready()) {
      String reason = Objects.requireNonNullElse(report.get().reason(), "MachineNotReady");
      String message = "on host " + host + ": " + Objects.requireNonNullElse(report.get().message(), "the host reports the machine not ready");
      return new Verdict(MachinePhase.Degraded, false, reason, message, false, reason, true, reason, message);
    }
    boolean suspended = machine.getSpec() != null && machine.getSpec().clutch() == Clutch.Disengaged;
    return new Verdict(suspended ? MachinePhase.Suspended : MachinePhase.Running, true, "EngineReady",
        "running on host " + host + ", port " + shared.placement().port() + (suspended ? "; the clutch is disengaged, so no messages flow" : ""),
        false, "RolloutComplete", false, "AsExpected", "nothing needs attention");
  }

  /** Whether a pod runs, has an address and passes its readiness probe. */
  public static boolean ready(Pod pod) {
    return pod.getStatus() != null && pod.getStatus().getPodIP() != null
        && podCondition(pod, "Ready").map(c -> "True".equals(c.getStatus())).orElse(false);
  }

  /** When the pod's Ready condition last turned, if it says. */
  private static Optional<Instant> readySince(Pod pod) {
    try {
      return podCondition(pod, "Ready").map(PodCondition::getLastTransitionTime).map(Instant::parse);
    } catch (DateTimeParseException e) {
      return Optional.empty();
    }
  }

  private static Verdict progressing(MachinePhase phase, String reason, String message) {
    return new Verdict(phase, false, reason, message, true, reason, false, "AsExpected", "nothing needs attention");
  }

  private static boolean rollingOut(StatefulSet engine) {
    var status = engine.getStatus();
    if (status == null) {
      return true;
    }
    long observed = Objects.requireNonNullElse(status.getObservedGeneration(), 0L);
    boolean controllerBehind = observed < Objects.requireNonNullElse(engine.getMetadata().getGeneration(), 0L);
    boolean revisionsDiffer = status.getUpdateRevision() != null && !status.getUpdateRevision().equals(status.getCurrentRevision());
    return controllerBehind || revisionsDiffer || Objects.requireNonNullElse(status.getUpdatedReplicas(), 0) < 1;
  }

  private static Optional<PodCondition> podCondition(Pod pod, String type) {
    return pod.getStatus() == null || pod.getStatus().getConditions() == null ? Optional.empty()
        : pod.getStatus().getConditions().stream().filter(c -> type.equals(c.getType())).findFirst();
  }

  private static Optional<ContainerStatus> stuckContainer(Pod pod) {
    return pod.getStatus() == null || pod.getStatus().getContainerStatuses() == null ? Optional.empty()
        : pod.getStatus().getContainerStatuses().stream()
            .filter(s -> s.getState() != null && s.getState().getWaiting() != null && STUCK_CONTAINER_REASONS.contains(s.getState().getWaiting().getReason()))
            .findFirst();
  }

  private Condition condition(List<Condition> previous, String type, boolean status, String reason, String message, long generation) {
    return conditions.condition(previous, type, status, reason, message, generation);
  }

}
