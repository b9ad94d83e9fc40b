package io.erlmachine.bench;

import io.erlmachine.api.v1alpha1.Machine;
import io.erlmachine.api.v1alpha1.spec.Hosting;
import io.erlmachine.api.v1alpha1.spec.MachineSpec;
import io.erlmachine.operator.machine.DesiredMachineObjects;
import io.erlmachine.operator.machine.EngineSettings;
import io.erlmachine.operator.machine.MachineBlueprint;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.ConfigBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;

/**
 * N dedicated Machines (a pod each) applied at once: the operator's time to all-Ready, its peak RSS, its API
 * requests per Machine and the size of the serial ledger it wrote, beside a baseline that creates the same child objects directly with
 * the fabric8 client as fast as it can and waits for the same readiness.
 *
 * <p>Usage: MachinesAtScale KUBECONFIG OPERATOR_JAR AUDIT_LOG OUTPUT_JSON [COUNT] [OPERATOR_JVM_OPTIONS]
 */
public final class MachinesAtScale {
  static final String BENCH_USER_AGENT = "erlmachine-bench";
  private static final String OPERATOR_NAMESPACE = OperatorProcess.NAMESPACE;
  private static final int WRITERS = 32;
  private static final Duration TIMEOUT = Duration.ofMinutes(20);

  private final KubernetesClient client;
  private final int count;

  private MachinesAtScale(KubernetesClient client, int count) {
    this.client = client;
    this.count = count;
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

  private static void run(String[] args) throws Exception {
    Path kubeconfig = Path.of(args[0]);
    Path operatorJar = Path.of(args[1]);
    Path auditLog = Path.of(args[2]);
    Path output = Path.of(args[3]);
    int count = args.length > 4 ? Integer.parseInt(args[4]) : 1000;
    String jvmOptions = args.length > 5 ? args[5] : "";
    // A burst of creates on a 2-core control plane can keep one request waiting longer than the client's default 10 s.
    Config config = new ConfigBuilder(Config.fromKubeconfig(Files.readString(kubeconfig))).withUserAgent(BENCH_USER_AGENT)
        .withMaxConcurrentRequests(WRITERS * 2).withMaxConcurrentRequestsPerHost(WRITERS * 2).withRequestTimeout(60_000).build();
    try (KubernetesClient client = new KubernetesClientBuilder().withConfig(config).build()) {
      MachinesAtScale bench = new MachinesAtScale(client, count);
      bench.namespace(OPERATOR_NAMESPACE);

      log("baseline: creating the children of %d machines directly", count);
      Duration baseline = bench.runBaseline("bench-baseline");
      log("baseline: all ready after %s", baseline);

      log("operator: applying %d Machines", count);
      Instant operatorStart = Instant.now();
      OperatorRun run = bench.runOperator("bench-operator", kubeconfig, operatorJar, jvmOptions);
      log("operator: all ready after %s, peak RSS %d MiB", run.elapsed(), run.peakRssBytes() / (1024 * 1024));
      Instant operatorEnd = Instant.now();
      Predicate<String> operatorAgent = agent -> agent.startsWith("fabric8-kubernetes-client");
      AuditCounts requests = AuditCounts.read(auditLog, operatorStart, operatorEnd, operatorAgent);
      LedgerCounts ledger = LedgerCounts.read(client, OPERATOR_NAMESPACE,
          AuditCounts.configMapWrites(auditLog, operatorStart, operatorEnd, operatorAgent, OPERATOR_NAMESPACE, LedgerCounts.OBJECT_PREFIX));
      log("operator: serial ledger of %d objects holding %d bindings (%d bytes), written %d times",
          ledger.objects(), ledger.bindings(), ledger.dataBytes(), ledger.writes());

      Results results = new Results(count, baseline, run.elapsed(), run.peakRssBytes(), requests, ledger, jvmOptions, Instant.now());
      Files.writeString(output, results.toJson());
      System.out.println(results.toMarkdown());
    }
  }

  private Duration runBaseline(String namespace) throws Exception {
    namespace(namespace);
    MachineBlueprint blueprint = new MachineBlueprint(new EngineSettings("erlmachine/engine:0.1.0", "IfNotPresent", "cluster.local",
        "50m", "128Mi", "256Mi", "erlmachine-system", List.of("monitoring")));
    Instant start = Instant.now();
    inParallel(i -> {
      Machine machine = new Machine();
      machine.setMetadata(new ObjectMetaBuilder().withName("m-" + i).withNamespace(namespace)
          .withLabels(Map.of("erlmachine.io/serial", Integer.toString(i + 1))).build());
      machine.setSpec(new MachineSpec(null, null, null, null, null, null).withHosting(Hosting.Dedicated));
      DesiredMachineObjects objects = blueprint.build(machine, i + 1, Map.of());
      for (HasMetadata object : List.of(objects.serviceAccount(), objects.config(), objects.service(), objects.networkPolicy(), objects.engine())) {
        client.resource(object).inNamespace(namespace).create();
      }
    });
    awaitAll(namespace, () -> client.apps().statefulSets().inNamespace(namespace).list().getItems(),
        (StatefulSet set) -> set.getStatus() != null && Integer.valueOf(1).equals(set.getStatus().getReadyReplicas()));
    Duration elapsed = Duration.between(start, Instant.now());
    deleteNamespace(namespace);
    return elapsed;
  }

  record OperatorRun(Duration elapsed, long peakRssBytes) {
  }

  private OperatorRun runOperator(String namespace, Path kubeconfig, Path operatorJar, String jvmOptions) throws Exception {
    namespace(namespace);
    try (OperatorProcess operator = OperatorProcess.start("bench-operator", kubeconfig, operatorJar, jvmOptions)) {
      operator.awaitStarted(Duration.ofMinutes(3));
      Instant start = Instant.now();
      inParallel(i -> {
        Machine machine = new Machine();
        machine.setMetadata(new ObjectMetaBuilder().withName("m-" + i).withNamespace(namespace).build());
        machine.setSpec(new MachineSpec(null, null, null, null, null, null).withHosting(Hosting.Dedicated));
        client.resource(machine).create();
      });
      awaitAll(namespace, () -> client.resources(Machine.class).inNamespace(namespace).list().getItems(), MachinesAtScale::ready);
      Duration elapsed = Duration.between(start, Instant.now());
      return new OperatorRun(elapsed, operator.peakRssBytes());
    } finally {
      deleteNamespace(namespace);
    }
  }

  static boolean ready(Machine machine) {
    return machine.getStatus() != null && machine.getStatus().conditions() != null
        && machine.getStatus().conditions().stream().anyMatch(c -> "Ready".equals(c.getType()) && "True".equals(c.getStatus()));
  }

  private void inParallel(Parallel.Step creation) throws Exception {
    Parallel.forEach(count, WRITERS, creation);
  }

  private <T> void awaitAll(String namespace, java.util.function.Supplier<List<T>> list, Predicate<T> ready) throws InterruptedException {
    Instant deadline = Instant.now().plus(TIMEOUT);
    long done = 0;
    while (Instant.now().isBefore(deadline)) {
      done = list.get().stream().filter(ready).count();
      if (done >= count) {
        return;
      }
      Thread.sleep(500);
    }
    throw new IllegalStateException(namespace + ": only " + done + " of " + count + " ready after " + TIMEOUT);
  }

  private void namespace(String name) {
    Namespaces.create(client, name);
  }

  private void deleteNamespace(String name) throws InterruptedException {
    Namespaces.delete(client, name, Duration.ofMinutes(5));
  }

  static void log(String format, Object... args) {
    System.err.printf("[bench] " + format + "%n", args);
  }

}
