package io.erlmachine.operator.gearbox;

import io.erlmachine.api.v1alpha1.Gearbox;
import io.erlmachine.api.v1alpha1.Machine;
import io.erlmachine.api.v1alpha1.status.GearboxStatus;
import io.erlmachine.operator.machine.MachineGearboxes;
import io.erlmachine.operator.machine.MachineOutlines;
import io.erlmachine.operator.status.SameNamespaceEvents;
import io.erlmachine.operator.status.StatusWriter;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.javaoperatorsdk.operator.api.config.informer.InformerEventSourceConfiguration;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.api.reconciler.ControllerConfiguration;
import io.javaoperatorsdk.operator.api.reconciler.EventSourceContext;
import io.javaoperatorsdk.operator.api.reconciler.Reconciler;
import io.javaoperatorsdk.operator.api.reconciler.UpdateControl;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import io.javaoperatorsdk.operator.processing.event.source.EventSource;
import io.javaoperatorsdk.operator.processing.event.source.informer.InformerEventSource;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * Reports where a Gearbox stands: whether its sources resolve and parse, and on which machines it is
 * placed. Placement itself happens in the Machine reconciler, which renders the gearboxes a
 * machine selects into its config.
 */
@ControllerConfiguration(name = "gearbox")
public class GearboxReconciler implements Reconciler<Gearbox> {
  private static final String MACHINES = "machines";
  private static final Duration PROBLEM_RECHECK = Duration.ofSeconds(20);
  private final MachineGearboxes machineGearboxes;
  private final GearboxStatusCalculator statusCalculator = new GearboxStatusCalculator(Clock.systemUTC());
  private final StatusWriter<GearboxStatus, Gearbox> statuses = new StatusWriter<>(Gearbox::new);

  public GearboxReconciler(KubernetesClient client, GearSyntax syntax) {
    this.machineGearboxes = new MachineGearboxes(client, syntax);
  }

  @Override
  public List<EventSource<?, Gearbox>> prepareEventSources(EventSourceContext<Gearbox> context) {
    return List.of(SameNamespaceEvents.reduced(context, Gearbox.class, Machine.class, MACHINES, MachineGearboxes::selects,
        MachineOutlines::forGearboxes));
  }

  @Override
  @SuppressWarnings("unchecked")
  public UpdateControl<Gearbox> reconcile(Gearbox gearbox, Context<Gearbox> context) {
    String namespace = gearbox.getMetadata().getNamespace();
    Optional<GearboxProblem> problem = machineGearboxes.check(gearbox).problem();
    var machineSource = (InformerEventSource<Machine, Gearbox>) context.eventSourceRetriever().getEventSourceFor(Machine.class, MACHINES);
    List<Machine> selecting = machineSource.list(namespace).filter(m -> MachineGearboxes.selects(m, gearbox)).toList();
    GearboxStatus status = statusCalculator.calculate(gearbox, new GearboxStatusCalculator.Observation(problem, selecting));
    statuses.writeIfChanged(gearbox, status, context);
    UpdateControl<Gearbox> control = UpdateControl.noUpdate();
    return problem.isPresent() ? control.rescheduleAfter(PROBLEM_RECHECK) : control;
  }
}
