package io.erlmachine.bench;

import io.erlmachine.api.v1alpha1.Machine;
import io.erlmachine.api.v1alpha1.spec.Hosting;
import io.erlmachine.api.v1alpha1.spec.MachineSpec;
import io.erlmachine.operator.host.HostBlueprint;
import io.erlmachine.operator.host.HostControlSecret;
import io.erlmachine.operator.host.HostNeeds;
import io.erlmachine.operator.host.HostSettings;
import io.erlmachine.operator.host.Placement;
import io.erlmachine.operator.machine.DesiredMachineObjects;
import io.erlmachine.operator.machine.EngineSettings;
import io.erlmachine.operator.machine.MachineBlueprint;
import io.erlmachine.operator.machine.MachineTransmissions;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * What a client that knows exactly what it wants must write for shared machines, with no operator: per namespace the
 * host objects (from the operator's own {@link HostBlueprint}, enough hosts for its machines) and the hosts' control
 * Secret; once the host pods run, per machine its config labelled with its host, its selector-less Service and its
 * EndpointSlice pointing at the host pod's address (from the operator's own {@link MachineBlueprint}), each created
 * once. Serials are simply 1..N (no ledger), placements are machine i on host i / perHost, slot i % perHost, and the
 * EndpointSlice is written ready at once (the client does not wait for the host's report to write it again). The
 * clock runs from the first write until the hosts report every machine ready on their Leases.
 */
final class SharedBaseline {
  static final String USER_AGENT = "erlmachine-baseline";
  static final EngineSettings ENGINE = new EngineSettings("erlmachine/engine:0.1.0", "IfNotPresent", "cluster.local",
      "50m", "128Mi", "256Mi", OperatorProcess.NAMESPACE, List.of("monitoring"));
  /** The operator's defaults (erlmachine.hosts.*). */
  static final HostSettings HOSTS = new HostSettings(200, "1Gi", "2Gi", "500m",
      HostSettings.bytes("2Gi") - HostSettings.bytes("512Mi"), HostSettings.bytes("4Mi"));
  private static final int WRITERS = 32;

  private final KubernetesClient client;
  private final MachineBlueprint machines = new MachineBlueprint(ENGINE, HOSTS.machinesPerHost());
  private final HostBlueprint hosts = new HostBlueprint(ENGINE, HOSTS);

  SharedBaseline(KubernetesClient client) {
    this.client = client;
  }

  /** Creates {@code perNamespace} machines' objects in each namespace; returns the time until all are reported ready. */
  Duration run(List<String> namespaces, int perNamespace, ReadyReports readyReports) throws Exception {
    int hostCount = (perNamespace + HOSTS.machinesPerHost() - 1) / HOSTS.machinesPerHost();
    Instant start = Instant.now();
    for (String namespace : namespaces) {
      new HostControlSecret(client).ensure(namespace);
      for (HasMetadata object : hosts.build(namespace, hostCount, HostNeeds.NONE)) {
        client.resource(object).fieldManager("erlmachine-baseline").forceConflicts().serverSideApply();
      }
    }
    Map<String, Map<String, Pod>> hostPods = awaitHostPods(namespaces, hostCount);
    MachinesAtScale.log("baseline: %d host pods run after %s", hostCount * namespaces.size(), Duration.between(start, Instant.now()));
    Parallel.forEach(perNamespace * namespaces.size(), WRITERS, i -> {
      String namespace = namespaces.get(i % namespaces.size());
      int index = i / namespaces.size();
      Placement placement = new Placement(index / HOSTS.machinesPerHost(), index % HOSTS.machinesPerHost());
      Pod pod = hostPods.get(namespace).get(placement.hostName());
      var endpoint = new MachineBlueprint.HostEndpoint(pod.getMetadata().getName(), pod.getStatus().getPodIP(), pod.getSpec().getNodeName(), true);
      DesiredMachineObjects objects = machines.buildShared(machine(namespace, index), index + 1, Map.of(), List.of(),
          MachineTransmissions.Wiring.NONE, new MachineBlueprint.Seat(placement, Optional.of(endpoint)), true);
      for (HasMetadata object : List.of(objects.config(), objects.service(), objects.endpointSlice())) {
        client.resource(object).inNamespace(namespace).create();
      }
    });
    MachinesAtScale.log("baseline: all objects created after %s", Duration.between(start, Instant.now()));
    readyReports.await(namespaces, perNamespace * namespaces.size());
    return Duration.between(start, Instant.now());
  }

  private static Machine machine(String namespace, int index) {
    Machine machine = new Machine();
    machine.setMetadata(new ObjectMetaBuilder().withName(SharedAtScale.machineName(index)).withNamespace(namespace)
        .withLabels(Map.of("erlmachine.io/serial", Integer.toString(index + 1))).build());
    machine.setSpec(new MachineSpec(null, null, null, null, null, null).withHosting(Hosting.Shared));
    return machine;
  }

  /** Each namespace's host pods by name, once all of them run with an address. */
  private Map<String, Map<String, Pod>> awaitHostPods(List<String> namespaces, int hostCount) throws InterruptedException {
    Instant deadline = Instant.now().plus(Duration.ofMinutes(5));
    while (Instant.now().isBefore(deadline)) {
      Map<String, Map<String, Pod>> pods = namespaces.stream().collect(Collectors.toMap(Function.identity(), namespace ->
          client.pods().inNamespace(namespace).withLabels(HostBlueprint.selector()).list().getItems().stream()
              .filter(pod -> pod.getStatus() != null && "Running".equals(pod.getStatus().getPhase()) && pod.getStatus().getPodIP() != null)
              .collect(Collectors.toMap(pod -> pod.getMetadata().getName(), pod -> pod))));
      if (pods.values().stream().allMatch(inNamespace -> inNamespace.size() >= hostCount)) {
        return pods;
      }
      Thread.sleep(500);
    }
    throw new IllegalStateException("the baseline's host pods did not all run within 5 minutes");
  }
}
