package io.erlmachine.operator.machine;

import io.erlmachine.api.host.HostContract;
import io.erlmachine.api.host.MachineReports;
import io.erlmachine.api.v1alpha1.ApiGroup;
import io.erlmachine.api.v1alpha1.spec.Hosting;
import io.erlmachine.api.v1alpha1.spec.TrafficSource;
import io.erlmachine.operator.host.HostAllocator;
import io.erlmachine.operator.host.HostBlueprint;
import io.erlmachine.operator.host.HostFleet;
import io.erlmachine.operator.host.HostLease;
import io.erlmachine.operator.host.HostNeeds;
import io.erlmachine.operator.host.HostSettings;
import io.erlmachine.operator.host.Placement;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.coordination.v1.Lease;
import io.javaoperatorsdk.operator.processing.event.source.informer.Mappers;
import java.time.Instant;
import io.erlmachine.api.v1alpha1.Gearbox;
import io.erlmachine.operator.gearbox.GearSyntax;
import io.erlmachine.api.config.TransmissionRenderer;
import io.erlmachine.api.v1alpha1.Machine;
import io.erlmachine.api.v1alpha1.Transmission;
import io.erlmachine.api.v1alpha1.status.ConditionTypes;
import io.erlmachine.api.v1alpha1.status.MachineStatus;
import io.erlmachine.operator.config.OperatorSettings;
import io.erlmachine.operator.serial.SerialAssigner;
import io.erlmachine.operator.serial.SerialChanges;
import io.fabric8.kubernetes.api.model.Condition;
import io.erlmachine.operator.status.SameNamespaceEvents;
import io.erlmachine.operator.status.StatusWriter;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.javaoperatorsdk.operator.OperatorException;
import io.javaoperatorsdk.operator.api.config.informer.Informer;
import io.javaoperatorsdk.operator.api.config.informer.InformerEventSourceConfiguration;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.api.reconciler.ControllerConfiguration;
import io.javaoperatorsdk.operator.api.reconciler.ErrorStatusUpdateControl;
import io.javaoperatorsdk.operator.api.reconciler.EventSourceContext;
import io.javaoperatorsdk.operator.api.reconciler.Reconciler;
import io.javaoperatorsdk.operator.api.reconciler.UpdateControl;
import io.javaoperatorsdk.operator.api.reconciler.Workflow;
import io.javaoperatorsdk.operator.api.reconciler.dependent.Dependent;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import io.javaoperatorsdk.operator.processing.event.source.EventSource;
import io.javaoperatorsdk.operator.processing.event.source.informer.InformerEventSource;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.jboss.logging.Logger;

/**
 * Turns a Machine into a running engine: assigns its serial number, decides how it is hosted,
 * places a shared machine onto a host of its namespace, resolves what it refers to, lets the
 * workflow below create or update what it owns, and reports where it stands. The workflow is
 * invoked explicitly so that nothing is created before the serial exists. Objects one kind of
 * hosting does not need fail their precondition and are deleted. Besides spec changes, a
 * changed serial label or status serial triggers a reconcile ({@link SerialChanges}), so a
 * forged serial is replaced at once; a shared machine is also reconciled when its host pod
 * changes, its host's report about it does ({@link HostReportEvents}), or its host's Lease
 * lapses ({@link HostLeaseExpiry}).
 */
@Workflow(explicitInvocation = true, dependents = {
    @Dependent(name = "service-account", type = MachineServiceAccountDependent.class, reconcilePrecondition = WantedByBlueprint.class),
    @Dependent(name = "config", type = MachineConfigDependent.class, useEventSourceWithName = MachineReconciler.CONFIGS),
    @Dependent(name = "service", type = MachineServiceDependent.class),
    @Dependent(name = "network-policy", type = MachineNetworkPolicyDependent.class, reconcilePrecondition = WantedByBlueprint.class),
    @Dependent(name = "engine", type = MachineEngineDependent.class, dependsOn = {"service-account", "config"}, reconcilePrecondition = WantedByBlueprint.class),
    @Dependent(name = "endpoint-slice", type = MachineEndpointSliceDependent.class, reconcilePrecondition = WantedByBlueprint.class)
})
@ControllerConfiguration(name = "machine", generationAwareEventProcessing = false, informer = @Informer(onUpdateFilter = SerialChanges.class))
public class MachineReconciler implements Reconciler<Machine> {
  private static final Logger LOG = Logger.getLogger(MachineReconciler.class);
  /** How often a machine with a problem is looked at again, in case the user fixed what it refers to. */
  static final Duration PROBLEM_RECHECK = Duration.ofSeconds(20);
  /** How often a moving machine looks whether its old place has stopped it (a host that dies sends no event). */
  static final Duration MOVE_RECHECK = Duration.ofSeconds(2);
  static final Duration REPORT_RECHECK = Duration.ofMillis(200);
  static final String CONFIGS = "configs";
  private static final String GEARBOXES = "gearboxes";
  private static final String TRANSMISSIONS = "transmissions";

  private final SerialAssigner serials;
  private final MachineBlueprint blueprint;
  private final MachineReferences references;
  private final MachineGearboxes machineGearboxes;
  private final MachineTransmissions machineTransmissions;
  private final HostSettings hostSettings;
  private final HostBlueprint hostBlueprint;
  private io.javaoperatorsdk.operator.api.reconciler.IndexedResourceCache<Machine> machines;
  private HostAllocator allocator;
  private HostFleet fleet;
  private InformerEventSource<Pod, Machine> pods;
  private InformerEventSource<Lease, Machine> leases;
  private InformerEventSource<Transmission, Machine> transmissions;
  private final MachineEvents events;
  private final MoveAnnouncements moves = new MoveAnnouncements();
  private final MachineStatusCalculator statusCalculator = new MachineStatusCalculator(Clock.systemUTC());
  private final StatusWriter<MachineStatus, Machine> statuses = new StatusWriter<>(Machine::new);

  public MachineReconciler(KubernetesClient client, SerialAssigner serials, OperatorSettings settings, GearSyntax syntax) {
    this.serials = serials;
    EngineSettings engineSettings = EngineSettings.from(settings);
    this.hostSettings = HostSettings.from(settings);
    this.blueprint = new MachineBlueprint(engineSettings, hostSettings.machinesPerHost());
    this.hostBlueprint = new HostBlueprint(engineSettings, hostSettings);
    this.references = new MachineReferences(client);
    this.machineGearboxes = new MachineGearboxes(client, syntax);
    this.machineTransmissions = new MachineTransmissions(blueprint::dnsName);
    this.events = new MachineEvents(client);
  }

  @Override
  @SuppressWarnings("unchecked")
  public List<EventSource<?, Machine>> prepareEventSources(EventSourceContext<Machine> context) {
    this.machines = context.getPrimaryCache();
    this.allocator = new HostAllocator(hostSettings, namespace -> machines.list(namespace));
    this.fleet = new HostFleet(context.getClient(), allocator, hostBlueprint, namespace -> machines.list(namespace).toList(), this::hostNeeds);
    var enginePods = InformerEventSourceConfiguration.from(Pod.class, Machine.class)
        .withName("engine-pods")
        .withLabelSelector(MachineObjects.MANAGED_SELECTOR)
        .withSecondaryToPrimaryMapper(this::machinesOfPod)
        .withItemStore(EnginePodState.store(context.getClient().getKubernetesSerialization()))
        .build();
    this.pods = new WatchedInformer<>(enginePods, context, this::hostPodSeen, this::hostPodGone);
    var configs = InformerEventSourceConfiguration.from(ConfigMap.class, Machine.class)
        .withName(CONFIGS)
        .withLabelSelector(MachineObjects.MANAGED_SELECTOR)
        .withSecondaryToPrimaryMapper(Mappers.fromOwnerReferences(Machine.class))
        .build();
    var hostLeases = InformerEventSourceConfiguration.from(Lease.class, Machine.class)
        .withName("host-leases")
        .withLabelSelector(HostBlueprint.COMPONENT_LABEL + "=" + HostContract.COMPONENT)
        .withOnUpdateFilter(HostReportEvents::changed)
        .withSecondaryToPrimaryMapper(lease -> HostReportEvents.concerned(lease, machines.list(lease.getMetadata().getNamespace())))
        .withPrimaryToSecondaryMapper((Machine machine) -> machine.getStatus() == null || machine.getStatus().host() == null ? Set.of()
            : Set.of(new ResourceID(machine.getStatus().host(), machine.getMetadata().getNamespace())))
        .build();
    HostLeaseExpiry expiry = new HostLeaseExpiry(id -> leases.get(id), namespace -> machines.list(namespace), Clock.systemUTC());
    this.leases = new WatchedInformer<>(hostLeases, context, expiry::seen, expiry::seen, expiry::gone);
    this.transmissions = SameNamespaceEvents.of(context, Machine.class, Transmission.class, TRANSMISSIONS, this::concerns);
    return List.of(pods, leases, expiry, new WatchedInformer<>(configs, context, config -> { }, this::configGone),
        SameNamespaceEvents.of(context, Machine.class, Gearbox.class, GEARBOXES, (gearbox, machine) -> MachineGearboxes.selects(machine, gearbox)),
        transmissions);
  }

  /** A dedicated engine pod belongs to its machine; a host pod concerns every machine placed on it. */
  private Set<ResourceID> machinesOfPod(Pod pod) {
    Map<String, String> labels = Objects.requireNonNullElse(pod.getMetadata().getLabels(), Map.of());
    String namespace = pod.getMetadata().getNamespace();
    String machine = labels.get(ApiGroup.MACHINE_LABEL);
    if (machine != null) {
      return Set.of(new ResourceID(machine, namespace));
    }
    if (!HostContract.COMPONENT.equals(labels.get(HostBlueprint.COMPONENT_LABEL))) {
      return Set.of();
    }
    return Placement.of(pod.getMetadata().getName(), HostContract.FIRST_MACHINE_PORT)
        .map(host -> allocator.machinesOn(namespace, host.host()).stream().map(name -> new ResourceID(name, namespace)).collect(Collectors.toSet()))
        .orElse(Set.of());
  }

  /** Host objects left behind by machines deleted while the operator was away are removed once their pods are seen. */
  private void hostPodSeen(Pod pod) {
    if (isHostPod(pod) && allocator.hostsInUse(pod.getMetadata().getNamespace()) == 0) {
      fleet.requestSync(pod.getMetadata().getNamespace());
    }
  }

  private void hostPodGone(Pod pod) {
    if (isHostPod(pod)) {
      fleet.hostObjectsChanged(pod.getMetadata().getNamespace());
    }
  }

  /** A shared machine's config is garbage collected after its Machine: its port is free again. */
  private void configGone(ConfigMap config) {
    var labels = config.getMetadata().getLabels();
    if (labels != null && labels.containsKey(HostContract.HOST_LABEL)) {
      String namespace = config.getMetadata().getNamespace();
      String machine = labels.get(ApiGroup.MACHINE_LABEL);
      // Released at once, so a Machine created right after gets the port; the sync would release it only after its delay.
      if (machine != null && machines.get(new ResourceID(machine, namespace)).isEmpty()) {
        allocator.release(namespace, machine);
      }
      fleet.requestSync(namespace);
    }
  }

  private static boolean isHostPod(Pod pod) {
    return pod.getMetadata().getLabels() != null && HostContract.COMPONENT.equals(pod.getMetadata().getLabels().get(HostBlueprint.COMPONENT_LABEL));
  }

  /** Whether a transmission sends from or to a machine (both must be rendered again when it changes). */
  private boolean concerns(Transmission transmission, Machine machine) {
    return TransmissionRenderer.concerns(transmission, machineTransmissions.ref(machine));
  }

  /** What a shared machine needs of its host's NetworkPolicy, from its spec and the transmissions of its namespace. */
  private HostNeeds hostNeeds(Machine machine) {
    String namespace = machine.getMetadata().getNamespace();
    var wiring = machineTransmissions.wiring(machine, transmissions.list(namespace).toList(), () -> machines.list(namespace).toList());
    var permissions = machine.getSpec() == null ? null : machine.getSpec().permissions();
    List<TrafficSource> inboundFrom = permissions == null || permissions.inboundFrom() == null ? List.of() : permissions.inboundFrom();
    return new HostNeeds(inboundFrom, wiring.receivesFrom(), wiring.sendsTo(), Set.copyOf(OutboundHosts.ports(permissions)));
  }

  @Override
  public UpdateControl<Machine> reconcile(Machine machine, Context<Machine> context) {
    SerialAssigner.Outcome assigned = serials.ensure(machine);
    Machine current = assigned.machine();
    if (current != machine) {
      // The relabelled Machine is what the next reconcile reads, and what the status written below is cached on top of.
      context.eventSourceRetriever().getControllerEventSource().handleRecentResourceUpdate(ResourceID.fromResource(machine), current, machine);
    }
    long serial = assigned.serial();
    assigned.notices().forEach(notice -> events.record(current, notice));
    String namespace = current.getMetadata().getNamespace();
    Hosting hosting = HostingDecision.of(current);

    Optional<MachineProblem> problem = Optional.empty();
    Optional<List<String>> placed = Optional.empty();
    Optional<MachineStatusCalculator.Shared> shared = Optional.empty();
    Optional<MachineStatusCalculator.Move> movingFrom = Optional.empty();
    Optional<String> leaseRead = Optional.empty();
    try {
      Optional<MachineBlueprint.Seat> seat = Optional.empty();
      if (hosting == Hosting.Shared) {
        Placement placement = place(current);
        Optional<Pod> hostPod = pods.get(new ResourceID(placement.hostName(), namespace));
        leaseRead = leaseVersion(namespace, placement.hostName());
        HostLease lease = lease(namespace, placement.hostName());
        String name = current.getMetadata().getName();
        shared = Optional.of(new MachineStatusCalculator.Shared(placement, hostPod, lease.report(name), lease.lapse()));
        boolean machineReady = lease.liveReport(name).map(MachineReports.Report::ready).orElse(false);
        seat = Optional.of(new MachineBlueprint.Seat(placement, hostPod.filter(pod -> pod.getStatus() != null && pod.getStatus().getPodIP() != null)
            .map(pod -> new MachineBlueprint.HostEndpoint(pod.getMetadata().getName(), pod.getStatus().getPodIP(), pod.getSpec() == null ? null
                : pod.getSpec().getNodeName(), machineReady && MachineStatusCalculator.ready(pod)))));
        movingFrom = stillRunsElsewhere(current, Optional.of(placement));
      } else {
        unplace(current);
        movingFrom = stillRunsElsewhere(current, Optional.empty());
      }
      Map<String, String> applicationData = references.applicationData(current);
      var gearboxes = machineGearboxes.render(current, gearboxesInNamespace(context, namespace));
      placed = Optional.of(gearboxes.stream().map(g -> g.name()).toList());
      var wiring = machineTransmissions.wiring(current, transmissions.list(namespace).toList(),
          () -> machines.list(namespace).toList()).runnableWith(gearboxes);
      DesiredMachineObjects desired = seat.isPresent()
          ? blueprint.buildShared(current, serial, applicationData, gearboxes, wiring, seat.get(), movingFrom.isEmpty())
          : blueprint.build(current, serial, applicationData, gearboxes, wiring, peer -> isShared(namespace, peer));
      if (seat.isEmpty() && movingFrom.isPresent()) {
        desired = desired.withoutEngine();
      }
      context.managedWorkflowAndDependentResourceContext().put(DesiredMachineObjects.CONTEXT_KEY, desired);
      context.managedWorkflowAndDependentResourceContext().reconcileManagedWorkflow();
    } catch (MachineProblem found) {
      problem = Optional.of(found);
      if (hosting == Hosting.Shared && shared.isEmpty()) {
        shared = allocator.placementOf(namespace, current.getMetadata().getName())
            .map(placement -> new MachineStatusCalculator.Shared(placement, Optional.empty(), Optional.empty()));
      }
    }

    var observation = new MachineStatusCalculator.Observation(serial, blueprint.dnsName(current), problem,
        context.getSecondaryResource(StatefulSet.class), ownPod(current), placed, hosting, shared, movingFrom);
    MachineStatus status = statusCalculator.calculate(current, observation);
    announceTransitions(current, status);
    statuses.writeIfChanged(current, status, context);
    UpdateControl<Machine> control = UpdateControl.noUpdate();
    if (problem.isPresent()) {
      return control.rescheduleAfter(PROBLEM_RECHECK);
    }
    if (movingFrom.isPresent()) {
      return control.rescheduleAfter(MOVE_RECHECK);
    }
    // A report that changed while this reconcile ran may have been judged against the status from before it: look again.
    boolean reportChanged = shared.isPresent() && !leaseRead.equals(leaseVersion(namespace, shared.get().placement().hostName()));
    return reportChanged ? control.rescheduleAfter(REPORT_RECHECK) : control;
  }

  /**
   * The machine's place on a host of its namespace. A machine too big for any host gets none and
   * says why; one that grew too big keeps its old place (its host still runs its last config, so
   * its port must not go to another machine) until it is changed back or made dedicated.
   */
  private Placement place(Machine machine) throws MachineProblem {
    String namespace = machine.getMetadata().getNamespace();
    if (!allocator.fitsAHost(machine)) {
      throw new MachineProblem("TooBigForHost", "the machine asks for " + Quantities.mebibytes(allocator.memoryOf(machine))
          + " of memory (spec.resources.requests.memory), but a shared engine host has " + Quantities.mebibytes(hostSettings.machineMemory())
          + " for its machines (erlmachine.hosts.memory-limit minus reserved-memory): ask for less, or set spec.hosting: Dedicated");
    }
    Placement placement = allocator.place(machine);
    // Coalesced, and nothing is sent when the host objects stay the same.
    fleet.requestSync(namespace);
    return placement;
  }

  private void unplace(Machine machine) {
    String namespace = machine.getMetadata().getNamespace();
    if (allocator.placementOf(namespace, machine.getMetadata().getName()).isPresent()) {
      allocator.release(namespace, machine.getMetadata().getName());
      fleet.requestSync(namespace);
    }
  }

  /**
   * Where the machine still runs although it belongs elsewhere now: its dedicated pod while it
   * moves onto a host, or the host it was on (while that host holds its Lease and reports it).
   * It starts at its new place only after that: a machine never runs in two places.
   */
  private Optional<MachineStatusCalculator.Move> stillRunsElsewhere(Machine machine, Optional<Placement> placement) {
    Optional<Pod> own = ownPod(machine);
    if (placement.isPresent() && own.isPresent()) {
      return Optional.of(new MachineStatusCalculator.Move("its pod " + own.get().getMetadata().getName(), Optional.empty()));
    }
    // The status keeps showing the old host until the machine stopped there, so the old host is known on every pass.
    Optional<Placement> former = machine.getStatus() == null ? Optional.empty() : Placement.of(machine.getStatus().host(), machine.getStatus().port());
    if (former.isEmpty() || placement.map(p -> p.host() == former.get().host()).orElse(false)) {
      return Optional.empty();
    }
    return lease(machine.getMetadata().getNamespace(), former.get().hostName()).runs(machine.getMetadata().getName())
        ? Optional.of(new MachineStatusCalculator.Move("host " + former.get().hostName(), former)) : Optional.empty();
  }

  private Optional<Pod> ownPod(Machine machine) {
    return pods.get(new ResourceID(MachineObjects.serviceName(machine) + "-0", machine.getMetadata().getNamespace()));
  }

  private boolean isShared(String namespace, String machine) {
    return machines.get(new ResourceID(machine, namespace)).map(HostingDecision::of).orElse(null) == Hosting.Shared;
  }

  private Optional<String> leaseVersion(String namespace, String host) {
    return leases.get(new ResourceID(host, namespace)).map(lease -> lease.getMetadata().getResourceVersion());
  }

  private HostLease lease(String namespace, String host) {
    return HostLease.of(leases.get(new ResourceID(host, namespace)).orElse(null), Instant.now());
  }

  @SuppressWarnings("unchecked")
  private static Stream<Gearbox> gearboxesInNamespace(Context<Machine> context, String namespace) {
    var source = (InformerEventSource<Gearbox, Machine>) context.eventSourceRetriever().getEventSourceFor(Gearbox.class, GEARBOXES);
    return source.list(namespace);
  }

  /** A failed reconcile shows up as Ready=False/ReconcileFailed with the API server's message; JOSDK retries with backoff. */
  @Override
  public ErrorStatusUpdateControl<Machine> updateErrorStatus(Machine machine, Context<Machine> context, Exception e) {
    OptionalLong serial = serials.trusted(machine);
    if (serial.isEmpty()) {
      events.warning(machine, "ReconcileFailed", ReconcileFailure.describe(e).getMessage());
      return ErrorStatusUpdateControl.defaultErrorProcessing();
    }
    // The hosting decision and placement go into every status written, or the next reconcile would decide again.
    Optional<MachineStatusCalculator.Shared> shared = allocator.placementOf(machine.getMetadata().getNamespace(), machine.getMetadata().getName())
        .map(placement -> new MachineStatusCalculator.Shared(placement, Optional.empty(), Optional.empty()));
    var observation = new MachineStatusCalculator.Observation(serial.getAsLong(), blueprint.dnsName(machine),
        Optional.of(ReconcileFailure.describe(e)), Optional.empty(), Optional.empty(), Optional.empty(), HostingDecision.of(machine), shared, Optional.empty());
    MachineStatus status = statusCalculator.calculate(machine, observation);
    announceTransitions(machine, status);
    try {
      statuses.writeIfChanged(machine, status, context);
    } catch (KubernetesClientException | OperatorException notWritten) {
      // The reconcile is retried all the same, and its retry writes the status.
      LOG.debugf(notWritten, "status of Machine %s/%s not written after a failed reconcile", machine.getMetadata().getNamespace(),
          machine.getMetadata().getName());
    }
    return ErrorStatusUpdateControl.noStatusUpdate();
  }

  /**
   * Problems (Degraded) as Warning events, and the start and end of a move as Normal events, each once
   * ({@link MoveAnnouncements}). Becoming Ready is routine: the Ready condition shows it, so it is recorded only when it
   * ends a move.
   */
  private void announceTransitions(Machine machine, MachineStatus status) {
    Condition ready = condition(status, ConditionTypes.READY);
    Optional<Condition> wasReady = previousCondition(machine, ConditionTypes.READY);
    ResourceID id = ResourceID.fromResource(machine);
    boolean wasMoving = moves.wasMoving(id, wasReady.map(c -> MachineStatusCalculator.MOVING.equals(c.getReason())).orElse(false));
    if ("True".equals(ready.getStatus()) && wasMoving) {
      moves.arrived(id);
      events.normal(machine, MachineStatusCalculator.MOVED, "moved: " + ready.getMessage());
      return;
    }
    if (MachineStatusCalculator.MOVING.equals(ready.getReason()) && !wasMoving) {
      moves.started(id, known -> machines.get(known).isEmpty());
      events.normal(machine, ready.getReason(), ready.getMessage());
      return;
    }
    boolean readinessChanged = wasReady.map(c -> !c.getStatus().equals(ready.getStatus()) || !c.getReason().equals(ready.getReason())
        || !c.getMessage().equals(ready.getMessage()) && "True".equals(condition(status, ConditionTypes.DEGRADED).getStatus())).orElse(true);
    if (readinessChanged && !"True".equals(ready.getStatus()) && "True".equals(condition(status, ConditionTypes.DEGRADED).getStatus())) {
      events.warning(machine, ready.getReason(), ready.getMessage());
    }
  }

  private static Condition condition(MachineStatus status, String type) {
    return status.conditions().stream().filter(c -> type.equals(c.getType())).findFirst().orElseThrow();
  }

  private static Optional<Condition> previousCondition(Machine machine, String type) {
    return machine.getStatus() == null || machine.getStatus().conditions() == null ? Optional.empty()
        : machine.getStatus().conditions().stream().filter(c -> type.equals(c.getType())).findFirst();
  }
}
