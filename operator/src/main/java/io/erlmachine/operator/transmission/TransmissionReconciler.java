package io.erlmachine.operator.transmission;

import io.erlmachine.api.config.MachineConfig;
import io.erlmachine.api.config.TransmissionRenderer;
import io.erlmachine.api.v1alpha1.Machine;
import io.erlmachine.api.v1alpha1.Transmission;
import io.erlmachine.api.v1alpha1.status.TransmissionStatus;
import io.erlmachine.operator.config.OperatorSettings;
import io.erlmachine.operator.machine.MachineObjects;
import io.erlmachine.operator.machine.MachineTransmissions;
import io.erlmachine.operator.status.SameNamespaceEvents;
import io.erlmachine.operator.status.StatusPatch;
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
import java.util.Objects;
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
  private final TransmissionRenderer renderer = new TransmissionRenderer();
  private final TransmissionStatusCalculator statusCalculator = new TransmissionStatusCalculator(Clock.systemUTC());
  private final MachineTransmissions machines;

  public TransmissionReconciler(OperatorSettings settings) {
    this.machines = new MachineTransmissions(machine -> MachineObjects.dnsName(machine, settings.clusterDomain()));
  }

  @Override
  public List<EventSource<?, Transmission>> prepareEventSources(EventSourceContext<Transmission> context) {
    return List.of(SameNamespaceEvents.of(context, Transmission.class, Machine.class, MACHINES,
        (machine, transmission) -> TransmissionRenderer.concerns(transmission, ref(machine))));
  }

  @Override
  @SuppressWarnings("unchecked")
  public UpdateControl<Transmission> reconcile(Transmission transmission, Context<Transmission> context) {
    var machineSource = (InformerEventSource<Machine, Transmission>) context.eventSourceRetriever().getEventSourceFor(Machine.class, MACHINES);
    List<TransmissionRenderer.MachineRef> machines = machineSource.list(transmission.getMetadata().getNamespace())
        .map(this::ref).sorted(Comparator.comparing(TransmissionRenderer.MachineRef::name)).toList();
    Map<String, MachineConfig.RouteConfig> routesBySource = new LinkedHashMap<>();
    for (TransmissionRenderer.MachineRef machine : machines) {
      renderer.routesFrom(machine, List.of(transmission), machines).forEach(route -> routesBySource.put(machine.name(), route));
    }
    TransmissionStatus status = statusCalculator.calculate(transmission, routesBySource);
    return Objects.equals(transmission.getStatus(), status) ? UpdateControl.noUpdate() : UpdateControl.patchStatus(withStatus(transmission, status));
  }

  private TransmissionRenderer.MachineRef ref(Machine machine) {
    return machines.ref(machine);
  }

  private static Transmission withStatus(Transmission transmission, TransmissionStatus status) {
    return StatusPatch.of(transmission, status, Transmission::new);
  }
}
