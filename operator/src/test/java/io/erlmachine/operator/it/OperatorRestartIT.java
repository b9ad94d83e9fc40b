package io.erlmachine.operator.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.erlmachine.api.v1alpha1.ApiGroup;
import io.erlmachine.api.v1alpha1.Machine;
import io.erlmachine.testkit.KwokClusterExtension;
import io.erlmachine.testkit.KwokClusterExtension.ClusterAccess;
import io.erlmachine.testkit.TestNamespace;
import java.time.Duration;
import java.util.List;
import java.util.TreeMap;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** Serial numbers and steady state across operator restarts and fail-overs. */
@ExtendWith(KwokClusterExtension.class)
class OperatorRestartIT {
  private static final int MACHINES = 200;

  @BeforeEach
  void operatorNamespace(ClusterAccess cluster) {
    OperatorNamespace.ensure(cluster.client());
    HostStandIn.ensureRunning(cluster.kubeconfig());
  }

  @Test
  void concurrentMachinesGetDistinctSerialsAcrossACrashAndAFailOver(TestNamespace namespace, ClusterAccess cluster) throws Exception {
    OperatorProcess leader = OperatorProcess.start(cluster.kubeconfig());
    OperatorProcess standby = OperatorProcess.start(cluster.kubeconfig());
    try (ExecutorService creators = Executors.newFixedThreadPool(16)) {
      IntStream.range(0, MACHINES).forEach(i -> creators.submit(() -> Fixtures.create(namespace,
          "{apiVersion: erlmachine.io/v1alpha1, kind: Machine, metadata: {name: m-" + i + "}, spec: {}}")));

      await().atMost(Duration.ofSeconds(120)).until(() -> labelledSerials(namespace).size() >= MACHINES / 4);
      leader.kill();
      standby.kill();
      OperatorProcess successor = OperatorProcess.start(cluster.kubeconfig());
      OperatorProcess successorStandby = OperatorProcess.start(cluster.kubeconfig());
      try {
        await().atMost(Duration.ofSeconds(120)).until(() -> labelledSerials(namespace).size() >= MACHINES * 3 / 4);
        successor.kill();
        await().atMost(Duration.ofSeconds(180)).pollInterval(Duration.ofSeconds(1)).until(() -> readyCount(namespace) == MACHINES);
      } finally {
        successorStandby.close();
        successor.close();
      }
    } finally {
      leader.close();
      standby.close();
    }

    List<Machine> machines = namespace.client().resources(Machine.class).inNamespace(namespace.name()).list().getItems();
    assertThat(machines).hasSize(MACHINES);
    List<Long> serials = machines.stream().map(m -> m.getStatus().serial()).toList();
    assertThat(serials).doesNotHaveDuplicates().allMatch(s -> s > 0);
    machines.forEach(m -> assertThat(m.getMetadata().getLabels()).containsEntry(ApiGroup.SERIAL_LABEL, Long.toString(m.getStatus().serial())));
  }

  @Test
  void restartWithNothingChangedWritesNothing(TestNamespace namespace, ClusterAccess cluster) throws InterruptedException {
    try (OperatorProcess first = OperatorProcess.start(cluster.kubeconfig())) {
      IntStream.range(0, 5).forEach(i -> Fixtures.create(namespace,
          "{apiVersion: erlmachine.io/v1alpha1, kind: Machine, metadata: {name: steady-" + i + "}, spec: {permissions: {outboundHosts: [{host: api.example.com}]}, resources: {limits: {cpu: 500m, memory: 1Gi}}}}"));
      await().atMost(Duration.ofSeconds(90)).until(() -> readyCount(namespace) == 5);
      OperatorProcess.sleep(3000);
    }

    Map<String, Long> before = ApiServerWrites.awaitQuiet(cluster.client(), Duration.ofSeconds(5), Duration.ofMinutes(5));
    List<String> operatorEventsBefore = operatorEvents(cluster);
    try (OperatorProcess second = OperatorProcess.start(cluster.kubeconfig())) {
      await().atMost(Duration.ofSeconds(60)).until(() -> second.logContains("Started event processing"));
      OperatorProcess.sleep(10_000);
    }
    Map<String, Long> after = ApiServerWrites.snapshot(cluster.client());

    // Events are counted apart: the control plane's own controllers record some at any time (the disruption controller
    // repeats "NoPods" for the host budgets of namespaces that earlier tests are still tearing down).
    Map<String, Long> writes = new TreeMap<>(ApiServerWrites.difference(before, after));
    writes.keySet().removeIf(key -> key.endsWith(" events"));
    assertThat(writes).as("writes during a resync with nothing changed").isEmpty();
    assertThat(operatorEvents(cluster)).as("events the operator recorded during the resync").isEqualTo(operatorEventsBefore);
  }

  private static List<String> operatorEvents(ClusterAccess cluster) {
    return cluster.client().v1().events().inAnyNamespace().list().getItems().stream()
        .filter(event -> "erlmachine-operator".equals(event.getReportingComponent()))
        .map(event -> event.getMetadata().getNamespace() + "/" + event.getMetadata().getName() + "#" + event.getCount())
        .sorted().toList();
  }

  @Test
  void leaderStopsPromptlyOnSigtermAndAStandbyTakesOver(TestNamespace namespace, ClusterAccess cluster) {
    OperatorProcess leader = OperatorProcess.start(cluster.kubeconfig());
    await().atMost(Duration.ofSeconds(60)).until(() -> leader.logContains("Started event processing"));
    try (OperatorProcess standby = OperatorProcess.start(cluster.kubeconfig())) {
      assertThat(leader.terminate(Duration.ofSeconds(15))).as("the leader exits on SIGTERM within the grace period").isPresent();

      Fixtures.create(namespace, "{apiVersion: erlmachine.io/v1alpha1, kind: Machine, metadata: {name: after-failover}, spec: {}}");
      Machine ready = Fixtures.awaitReady(namespace, "after-failover");
      assertThat(ready.getStatus().serial()).isPositive();
      assertThat(standby.logContains("Started event processing")).isTrue();
    } finally {
      leader.close();
    }
  }

  private static List<String> labelledSerials(TestNamespace namespace) {
    return namespace.client().resources(Machine.class).inNamespace(namespace.name()).withLabel(ApiGroup.SERIAL_LABEL).list().getItems()
        .stream().map(m -> m.getMetadata().getLabels().get(ApiGroup.SERIAL_LABEL)).toList();
  }

  private static long readyCount(TestNamespace namespace) {
    return namespace.client().resources(Machine.class).inNamespace(namespace.name()).list().getItems().stream()
        .filter(m -> Fixtures.condition(m, "Ready").map(c -> "True".equals(c.getStatus())).orElse(false))
        .count();
  }
}
