package io.erlmachine.operator.transmission;

import io.erlmachine.api.config.MachineConfig;
import io.erlmachine.api.config.RouteCheck;
import io.erlmachine.api.config.TransmissionRenderer;
import io.erlmachine.api.v1alpha1.Gearbox;
import io.erlmachine.api.v1alpha1.Machine;
import io.erlmachine.api.v1alpha1.Transmission;
import io.erlmachine.api.v1alpha1.spec.GearSpec;
import io.erlmachine.api.v1alpha1.status.GearboxPhase;
import io.erlmachine.api.v1alpha1.status.TransmissionStatus;
import io.erlmachine.operator.config.OperatorSettings;
import io.erlmachine.operator.machine.MachineGearboxes;
import io.erlmachine.operator.machine.MachineObjects;
import io.erlmachine.operator.machine.MachineOutlines;
import io.erlmachine.operator.machine.MachineTransmissions;
import io.erlmachine.operator.status.SameNamespaceEvents;
import io.erlmachine.operator.status.StatusWriter;
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
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;

/**
 * Resolves a Transmission's endpoints to machines and reports the routes in its status. The
 * Machine reconciler renders the same routes into the source machines' configs and opens their
 * NetworkPolicies; a change in the resolved routes (a target machine appears or goes) changes
 * this status, which makes the Machine reconciler render the sources again.
 */
@ControllerConfiguration(name = "transmission")
public class TransmissionReconciler implements Reconciler<Transmission> {
  private static final String MACHINES = "machines";
  private static final String GEARBOXES = "gearboxes";
  private final TransmissionRenderer renderer = new TransmissionRenderer();
  private final TransmissionStatusCalculator statusCalculator = new TransmissionStatusCalculator(Clock.systemUTC());
  private final StatusWriter<TransmissionStatus, Transmission> statuses = new StatusWriter<>(Transmission::new);
  private final MachineTransmissions machines;

  public TransmissionReconciler(OperatorSettings settings) {
    this.machines = new MachineTransmissions(machine -> MachineObjects.dnsName(machine, settings.clusterDomain()));
  }

  @Override
  public List<EventSource<?, Transmission>> prepareEventSources(EventSourceContext<Transmission> context) {
    return List.of(
        SameNamespaceEvents.reduced(context, Transmission.class, Machine.class, MACHINES,
            (machine, transmission) -> TransmissionRenderer.concerns(transmission, ref(machine)), MachineOutlines::forTransmissions),
        SameNamespaceEvents.of(context, Transmission.class, Gearbox.class, GEARBOXES, TransmissionReconciler::sendsFrom));
  }

  @Override
  @SuppressWarnings("unchecked")
  public UpdateControl<Transmission> reconcile(Transmission transmission, Context<Transmission> context) {
    String namespace = transmission.getMetadata().getNamespace();
    var machineSource = (InformerEventSource<Machine, Transmission>) context.eventSourceRetriever().getEventSourceFor(Machine.class, MACHINES);
    var gearboxSource = (InformerEventSource<Gearbox, Transmission>) context.eventSourceRetriever().getEventSourceFor(Gearbox.class, GEARBOXES);
    List<Machine> inNamespace = machineSource.list(namespace).sorted(Comparator.comparing(m -> m.getMetadata().getName())).toList();
    List<TransmissionRenderer.MachineRef> machines = inNamespace.stream().map(this::ref).toList();
    List<Gearbox> gearboxes = gearboxSource.list(namespace).toList();
    Map<String, MachineConfig.RouteConfig> routesBySource = new LinkedHashMap<>();
    Map<String, List<String>> problemsBySource = new LinkedHashMap<>();
    for (Machine machine : inNamespace) {
      for (MachineConfig.RouteConfig route : renderer.routesFrom(ref(machine), List.of(transmission), machines)) {
        routesBySource.put(machine.getMetadata().getName(), route);
        List<String> problems = invalidGearboxes(route, machine, gearboxes);
        if (problems.isEmpty()) {
          problems = RouteCheck.problems(route, gearsOf(machine, gearboxes));
        }
        if (!problems.isEmpty()) {
          problemsBySource.put(machine.getMetadata().getName(), problems);
        }
      }
    }
    TransmissionStatus status = statusCalculator.calculate(transmission, routesBySource, problemsBySource);
    statuses.writeIfChanged(transmission, status, context);
    return UpdateControl.noUpdate();
  }

  /** The gear names of each gearbox the machine selects, as written in the Gearboxes. */
  private static Map<String, Set<String>> gearsOf(Machine machine, List<Gearbox> gearboxes) {
    return gearboxes.stream().filter(g -> MachineGearboxes.selects(machine, g)).collect(Collectors.toMap(g -> g.getMetadata().getName(),
        g -> g.getSpec().gears().stream().map(GearSpec::name).collect(Collectors.toSet())));
  }

  /** An Invalid gearbox the route needs is left out of the machine's config, and the route with it. */
  private static List<String> invalidGearboxes(MachineConfig.RouteConfig route, Machine machine, List<Gearbox> gearboxes) {
    Set<String> needed = new TreeSet<>();
    needed.add(route.gearbox());
    if (route.delivery() != null && route.delivery().deadLetterGearbox() != null) {
      needed.add(route.delivery().deadLetterGearbox());
    }
    return gearboxes.stream()
        .filter(g -> needed.contains(g.getMetadata().getName()) && MachineGearboxes.selects(machine, g))
        .filter(g -> g.getStatus() != null && g.getStatus().phase() == GearboxPhase.Invalid)
        .map(g -> "gearbox " + g.getMetadata().getName() + " is Invalid (see its status), so the machine does not run it")
        .toList();
  }

  private static boolean sendsFrom(Gearbox gearbox, Transmission transmission) {
    String name = gearbox.getMetadata().getName();
    var deadLetter = transmission.getSpec().delivery() == null ? null : transmission.getSpec().delivery().deadLetter();
    return name.equals(transmission.getSpec().from().gearbox()) || deadLetter != null && name.equals(deadLetter.gearbox());
  }

  private TransmissionRenderer.MachineRef ref(Machine machine) {
    return machines.ref(machine);
  }
}
