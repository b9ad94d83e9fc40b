package io.erlmachine.bench;

import io.erlmachine.api.v1alpha1.Machine;
import io.erlmachine.api.v1alpha1.spec.Hosting;
import io.erlmachine.api.v1alpha1.spec.MachineSpec;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.ConfigBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.HashSet;
import java.util.List;
import java.util.function.Predicate;
import java.util.stream.IntStream;

/**
 * N shared Machines, spread evenly over several namespaces, applied at once: the operator's time until all are placed
 * and until all are Ready, its peak RSS, the API objects and requests per Machine and the hosts it made, beside a
 * baseline that writes the same objects directly ({@link SharedBaseline}) in the same run. kwok runs no host process:
 * {@link HostsStandIn} plays every host through the API as the engine's cluster host does, so Ready means that the
 * host pod runs (kwok), and that a host holding its Lease has seen the machine's config at the Machine's generation and
 * reported it ready on the Lease.
 *
 * <p>Usage: SharedAtScale KUBECONFIG OPERATOR_JAR AUDIT_LOG OUTPUT_JSON [COUNT] [NAMESPACES] [OPERATOR_JVM_OPTIONS]
 */
public final class SharedAtScale {
  private static final int WRITERS = 32;
  private static final Duration TIMEOUT = Duration.ofMinutes(40);

  private SharedAtScale() {
  }

  public static void main(String[] args) {
    try {
      run(args);
      System.exit(0);
    } catch (Exception | Error e) {
      e.printStackTrace();
      System.exit(1);
    }
  }

  static String machineName(int index) {
    return "m-" + index;
  }

  private static void run(String[] args) throws Exception {
    Path kubeconfig = Path.of(args[0]);
    Path operatorJar = Path.of(args[1]);
    Path auditLog = Path.of(args[2]);
    Path output = Path.of(args[3]);
    int count = args.length > 4 ? Integer.parseInt(args[4]) : 10_000;
    int namespaceCount = args.length > 5 ? Integer.parseInt(args[5]) : 2;
    String jvmOptions = args.length > 6 ? args[6] : "";
    if (count % namespaceCount != 0) {
      throw new IllegalArgumentException("COUNT must divide evenly over NAMESPACES");
    }
    int perNamespace = count / namespaceCount;
    String kubeconfigText = Files.readString(kubeconfig);
    try (KubernetesClient bench = client(kubeconfigText, MachinesAtScale.BENCH_USER_AGENT);
         KubernetesClient baselineClient = client(kubeconfigText, SharedBaseline.USER_AGENT);
         HostsStandIn standIn = HostsStandIn.start(client(kubeconfigText, HostsStandIn.USER_AGENT))) {
      Namespaces.create(bench, OperatorProcess.NAMESPACE);
      Predicate<String> standInAgent = agent -> agent.startsWith(HostsStandIn.USER_AGENT);

      List<String> baselineNamespaces = namespaces("baseline", namespaceCount);
      baselineNamespaces.forEach(namespace -> Namespaces.create(bench, namespace));
      MachinesAtScale.log("baseline: writing the objects of %d shared machines directly, in %d namespaces", count, namespaceCount);
      Instant baselineStart = Instant.now();
      Duration baseline = new SharedBaseline(baselineClient).run(baselineNamespaces, perNamespace, new ReadyReports(bench, TIMEOUT));
      Instant baselineEnd = Instant.now();
      double baselineLoad = MachineProgress.loadAverage();
      MachinesAtScale.log("baseline: all reported ready after %s (load %.1f)", baseline, baselineLoad);
      ObjectCounts baselineObjects = ObjectCounts.read(bench, baselineNamespaces);
      AuditCounts baselineRequests = AuditCounts.read(auditLog, baselineStart, baselineEnd, agent -> agent.startsWith(SharedBaseline.USER_AGENT));
      AuditCounts baselineHostRequests = AuditCounts.read(auditLog, baselineStart, baselineEnd, standInAgent);
      for (String namespace : baselineNamespaces) {
        Namespaces.delete(bench, namespace, Duration.ofMinutes(10));
      }
      MachinesAtScale.log("baseline: namespaces deleted");

      List<String> operatorNamespaces = namespaces("shared", namespaceCount);
      operatorNamespaces.forEach(namespace -> Namespaces.create(bench, namespace));
      MachinesAtScale.log("operator: applying %d shared Machines in %d namespaces", count, namespaceCount);
      SharedResults.OperatorPhase phase;
      try (OperatorProcess operator = OperatorProcess.start("bench-shared-operator", kubeconfig, operatorJar, jvmOptions);
           MachineProgress progress = new MachineProgress(bench, new HashSet<>(operatorNamespaces))) {
        operator.awaitStarted(Duration.ofMinutes(3));
        Instant start = Instant.now();
        Parallel.forEach(count, WRITERS, i -> bench.resource(machine(operatorNamespaces.get(i % namespaceCount), i / namespaceCount)).create());
        MachinesAtScale.log("operator: all Machines created after %s", Duration.between(start, Instant.now()));
        Duration[] placedAndReady = progress.await(start, count, TIMEOUT);
        Instant end = Instant.now();
        long peakRss = operator.peakRssBytes();
        MachinesAtScale.log("operator: all placed after %s, all Ready after %s, peak RSS %d MiB", placedAndReady[0], placedAndReady[1],
            peakRss / (1024 * 1024));
        if (!operator.alive()) {
          throw new IllegalStateException("the operator exited during the run; see bench/target/bench-shared-operator.log");
        }
        Path histogram = operator.heapHistogram();
        String heapAfterFullGc = operator.heapInfo();
        MachinesAtScale.log("operator: heap histogram in %s; after a full GC:%n%s", histogram, heapAfterFullGc);
        ObjectCounts objects = ObjectCounts.read(bench, operatorNamespaces);
        Predicate<String> operatorAgent = agent -> agent.startsWith("fabric8-kubernetes-client");
        AuditCounts requests = AuditCounts.read(auditLog, start, end, operatorAgent);
        AuditCounts hostRequests = AuditCounts.read(auditLog, start, end, standInAgent);
        LedgerCounts ledger = LedgerCounts.read(bench, OperatorProcess.NAMESPACE,
            AuditCounts.configMapWrites(auditLog, start, end, operatorAgent, OperatorProcess.NAMESPACE, LedgerCounts.OBJECT_PREFIX));
        int hosts = operatorNamespaces.stream().mapToInt(namespace -> bench.apps().statefulSets().inNamespace(namespace)
            .withName("erlmachine-host").get().getSpec().getReplicas()).sum();
        phase = new SharedResults.OperatorPhase(placedAndReady[0], placedAndReady[1], peakRss, requests, hostRequests, objects, ledger, hosts,
            progress.samples(), heapAfterFullGc);
      }
      SharedResults results = new SharedResults(count, namespaceCount, baseline, baselineRequests, baselineHostRequests, baselineObjects,
          baselineLoad, phase, jvmOptions, Instant.now());
      Files.writeString(output, results.toJson());
      System.out.println(results.toMarkdown());
    }
  }

  private static List<String> namespaces(String prefix, int count) {
    return IntStream.range(0, count).mapToObj(i -> prefix + "-" + (char) ('a' + i)).toList();
  }

  private static Machine machine(String namespace, int index) {
    Machine machine = new Machine();
    machine.setMetadata(new ObjectMetaBuilder().withName(machineName(index)).withNamespace(namespace).build());
    machine.setSpec(new MachineSpec(null, null, null, null, null, null).withHosting(Hosting.Shared));
    return machine;
  }

  /** A burst of writes on a 2-core control plane can keep one request waiting longer than the client's default 10 s. */
  private static KubernetesClient client(String kubeconfig, String userAgent) {
    Config config = new ConfigBuilder(Config.fromKubeconfig(kubeconfig)).withUserAgent(userAgent)
        .withMaxConcurrentRequests(WRITERS * 2).withMaxConcurrentRequestsPerHost(WRITERS * 2).withRequestTimeout(60_000).build();
    return new KubernetesClientBuilder().withConfig(config).build();
  }
}
