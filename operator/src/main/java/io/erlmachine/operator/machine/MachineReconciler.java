package io.erlmachine.operator.machine;

import io.erlmachine.api.v1alpha1.ApiGroup;
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
import io.erlmachine.operator.status.StatusPatch;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.client.KubernetesClient;
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

/**
 * Turns a Machine into a running engine: assigns its serial number, resolves what it refers
 * to, lets the workflow below create or update what it owns, and reports where it stands.
 * The workflow is invoked explicitly so that nothing is created before the serial exists.
 * Besides spec changes, a changed serial label or status serial triggers a reconcile
 * ({@link SerialChanges}), so a forged serial is replaced at once.
 */
@Workflow(explicitInvocation = true, dependents = {
    @Dependent(name = "service-account", type = MachineServiceAccountDependent.class),
    @Dependent(name = "config", type = MachineConfigDependent.class),
    @Dependent(name = "service", type = MachineServiceDependent.class),
    @Dependent(name = "network-policy", type = MachineNetworkPolicyDependent.class),
    @Dependent(name = "engine", type = MachineEngineDependent.class, dependsOn = {"service-account", "config"})
})
@ControllerConfiguration(name = "machine", generationAwareEventProcessing = false, informer = @Informer(onUpdateFilter = SerialChanges.class))
public class MachineReconciler implements Reconciler<Machine> {
  /** How often a machine with a problem is looked at again, in case the user fixed what it refers to. */
  static final Duration PROBLEM_RECHECK = Duration.ofSeconds(20);
  private static final String GEARBOXES = "gearboxes";
  private static final String TRANSMISSIONS = "transmissions";

  private final SerialAssigner serials;
  private final MachineBlueprint blueprint;
  private final MachineReferences references;
  private final MachineGearboxes machineGearboxes;
  private final MachineTransmissions machineTransmissions;
  private io.javaoperatorsdk.operator.api.reconciler.IndexedResourceCache<Machine> machines;
  private final MachineEvents events;
  private final MachineStatusCalculator statusCalculator = new MachineStatusCalculator(Clock.systemUTC());

  public MachineReconciler(KubernetesClient client, SerialAssigner serials, OperatorSettings settings, GearSyntax syntax) {
    this.serials = serials;
    this.blueprint = new MachineBlueprint(EngineSettings.from(settings));
    this.references = new MachineReferences(client);
    this.machineGearboxes = new MachineGearboxes(client, syntax);
    this.machineTransmissions = new MachineTransmissions(blueprint::dnsName);
    this.events = new MachineEvents(client);
  }

  @Override
  public List<EventSource<?, Machine>> prepareEventSources(EventSourceContext<Machine> context) {
    var enginePods = InformerEventSourceConfiguration.from(Pod.class, Machine.class)
        .withName("engine-pods")
        .withLabelSelector(MachineObjects.MANAGED_SELECTOR)
        .withSecondaryToPrimaryMapper(pod -> {
          String machine = pod.getMetadata().getLabels() == null ? null : pod.getMetadata().getLabels().get(ApiGroup.MACHINE_LABEL);
          return machine == null ? Set.of() : Set.of(new ResourceID(machine, pod.getMetadata().getNamespace()));
        })
        .withItemStore(EnginePodState.store(context.getClient().getKubernetesSerialization()))
        .build();
    this.machines = context.getPrimaryCache();
    return List.of(new InformerEventSource<>(enginePods, context),
        SameNamespaceEvents.of(context, Machine.class, Gearbox.class, GEARBOXES, (gearbox, machine) -> MachineGearboxes.selects(machine, gearbox)),
        SameNamespaceEvents.of(context, Machine.class, Transmission.class, TRANSMISSIONS, this::concerns));
  }

  /** Whether a transmission sends from or to a machine (both must be rendered again when it changes). */
  private boolean concerns(Transmission transmission, Machine machine) {
    return TransmissionRenderer.concerns(transmission, machineTransmissions.ref(machine));
  }

  @Override
  public UpdateControl<Machine> reconcile(Machine machine, Context<Machine> context) {
    SerialAssigner.Outcome assigned = serials.ensure(machine);
    Machine current = assigned.machine();
    long serial = assigned.serial();
    assigned.notices().forEach(notice -> events.record(current, notice));

    Optional<MachineProblem> problem = Optional.empty();
    Optional<List<String>> placed = Optional.empty();
    try {
      Map<String, String> applicationData = references.applicationData(current);
      var gearboxes = machineGearboxes.render(current, gearboxesInNamespace(context, current.getMetadata().getNamespace()));
      placed = Optional.of(gearboxes.stream().map(g -> g.name()).toList());
      String namespace = current.getMetadata().getNamespace();
      var wiring = machineTransmissions.wiring(current, transmissionsInNamespace(context, namespace),
          machines.list(namespace).toList()).runnableWith(gearboxes);
      context.managedWorkflowAndDependentResourceContext().put(DesiredMachineObjects.CONTEXT_KEY,
          blueprint.build(current, serial, applicationData, gearboxes, wiring));
      context.managedWorkflowAndDependentResourceContext().reconcileManagedWorkflow();
    } catch (MachineProblem found) {
      problem = Optional.of(found);
    }

    var observation = new MachineStatusCalculator.Observation(serial, blueprint.dnsName(current), problem,
        context.getSecondaryResource(StatefulSet.class), context.getSecondaryResource(Pod.class), placed);
    MachineStatus status = statusCalculator.calculate(current, observation);
    announceTransitions(current, status);
    UpdateControl<Machine> control = noUpdate(current, status) ? UpdateControl.noUpdate() : UpdateControl.patchStatus(withStatus(current, status));
    return problem.isPresent() ? control.rescheduleAfter(PROBLEM_RECHECK) : control;
  }

  @SuppressWarnings("unchecked")
  private static Stream<Gearbox> gearboxesInNamespace(Context<Machine> context, String namespace) {
    var source = (InformerEventSource<Gearbox, Machine>) context.eventSourceRetriever().getEventSourceFor(Gearbox.class, GEARBOXES);
    return source.list(namespace);
  }

  @SuppressWarnings("unchecked")
  private static List<Transmission> transmissionsInNamespace(Context<Machine> context, String namespace) {
    var source = (InformerEventSource<Transmission, Machine>) context.eventSourceRetriever().getEventSourceFor(Transmission.class, TRANSMISSIONS);
    return source.list(namespace).toList();
  }

  /** A failed reconcile shows up as Ready=False/ReconcileFailed with the API server's message; JOSDK retries with backoff. */
  @Override
  public ErrorStatusUpdateControl<Machine> updateErrorStatus(Machine machine, Context<Machine> context, Exception e) {
    OptionalLong serial = serials.trusted(machine);
    if (serial.isEmpty()) {
      events.warning(machine, "ReconcileFailed", ReconcileFailure.describe(e).getMessage());
      return ErrorStatusUpdateControl.defaultErrorProcessing();
    }
    var observation = new MachineStatusCalculator.Observation(serial.getAsLong(), blueprint.dnsName(machine),
        Optional.of(ReconcileFailure.describe(e)), Optional.empty(), Optional.empty(), Optional.empty());
    MachineStatus status = statusCalculator.calculate(machine, observation);
    announceTransitions(machine, status);
    return noUpdate(machine, status) ? ErrorStatusUpdateControl.noStatusUpdate() : ErrorStatusUpdateControl.patchStatus(withStatus(machine, status));
  }

  private void announceTransitions(Machine machine, MachineStatus status) {
    Condition ready = condition(status, ConditionTypes.READY);
    Optional<Condition> wasReady = previousCondition(machine, ConditionTypes.READY);
    boolean readinessChanged = wasReady.map(c -> !c.getStatus().equals(ready.getStatus()) || !c.getReason().equals(ready.getReason())
        || !c.getMessage().equals(ready.getMessage()) && "True".equals(condition(status, ConditionTypes.DEGRADED).getStatus())).orElse(true);
    if (!readinessChanged) {
      return;
    }
    if ("True".equals(ready.getStatus())) {
      events.normal(machine, ready.getReason(), ready.getMessage());
    } else if ("True".equals(condition(status, ConditionTypes.DEGRADED).getStatus())) {
      events.warning(machine, ready.getReason(), ready.getMessage());
    }
  }

  private static boolean noUpdate(Machine machine, MachineStatus status) {
    return Objects.equals(machine.getStatus(), status);
  }

  private static Machine withStatus(Machine machine, MachineStatus status) {
    return StatusPatch.of(machine, status, Machine::new);
  }

  private static Condition condition(MachineStatus status, String type) {
    return status.conditions().stream().filter(c -> type.equals(c.getType())).findFirst().orElseThrow();
  }

  private static Optional<Condition> previousCondition(Machine machine, String type) {
    return machine.getStatus() == null || machine.getStatus().conditions() == null ? Optional.empty()
        : machine.getStatus().conditions().stream().filter(c -> type.equals(c.getType())).findFirst();
  }
}
