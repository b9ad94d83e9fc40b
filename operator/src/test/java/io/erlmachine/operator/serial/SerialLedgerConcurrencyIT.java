package io.erlmachine.operator.serial;

import static org.assertj.core.api.Assertions.assertThat;

import io.erlmachine.api.v1alpha1.Machine;
import io.erlmachine.operator.config.OperatorSettings;
import io.erlmachine.testkit.KwokClusterExtension;
import io.erlmachine.testkit.KwokClusterExtension.ClusterAccess;
import io.erlmachine.testkit.TestNamespace;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The ledger against the real API server without leader election's help: several ledgers (as
 * if several operator processes were alive at once) bind serials concurrently into the same
 * shards, one is abandoned in the middle of its block, and the counter is set back; no serial
 * is ever bound to two Machines and no Machine gets two serials.
 */
@ExtendWith(KwokClusterExtension.class)
class SerialLedgerConcurrencyIT {
  private static final int BLOCK = 10;

  @Test
  void concurrentLedgersNeverBindASerialTwice(TestNamespace namespace) throws Exception {
    KubernetesClient client = namespace.client();
    List<SerialLedger> replicas = List.of(ledger(client, namespace), ledger(client, namespace), ledger(client, namespace));
    List<Machine> machines = IntStream.range(0, 300).mapToObj(i -> machine("m-" + i)).toList();

    Map<String, Long> assigned = bindConcurrently(replicas, machines);

    assertThat(assigned).hasSize(machines.size());
    assertThat(assigned.values()).doesNotHaveDuplicates();
    Map<Long, String> stored = stored(client, namespace);
    assigned.forEach((uid, serial) -> assertThat(stored.get(serial)).startsWith(uid + " "));
    assertThat(stored).hasSize(machines.size());
    assertThat(client.configMaps().inNamespace(namespace.name()).withLabel(LedgerShards.LABEL).list().getItems())
        .as("bindings spread over shards of %d", LedgerShards.SIZE).hasSizeGreaterThan(1)
        .allSatisfy(shard -> assertThat(shard.getData()).hasSizeLessThanOrEqualTo(LedgerShards.SIZE));
  }

  @Test
  void aBlockLeftHalfUsedByADeadReplicaIsNeverHandedOutAgain(TestNamespace namespace) {
    KubernetesClient client = namespace.client();
    SerialLedger dead = ledger(client, namespace);
    List<Machine> boundByTheDead = IntStream.range(0, 3).mapToObj(i -> machine("before-" + i)).toList();
    List<Long> before = boundByTheDead.stream().map(dead::bind).toList();

    SerialLedger successor = ledger(client, namespace);
    List<Long> after = IntStream.range(0, BLOCK * 2).mapToObj(i -> successor.bind(machine("after-" + i))).toList();

    long deadBlockEnd = before.get(0) + BLOCK;
    assertThat(after).doesNotHaveDuplicates().allMatch(serial -> serial >= deadBlockEnd);
    assertThat(successor.bind(boundByTheDead.get(0))).as("a machine bound by the dead replica keeps its serial").isEqualTo(before.get(0));
  }

  @Test
  void aCounterSetBackSkipsSerialsTheLedgerHolds(TestNamespace namespace) {
    KubernetesClient client = namespace.client();
    SerialLedger first = ledger(client, namespace);
    List<Long> bound = IntStream.range(0, 25).mapToObj(i -> first.bind(machine("first-" + i))).toList();
    client.configMaps().inNamespace(namespace.name()).resource(new ConfigMapBuilder().withNewMetadata()
        .withName(SerialNumbers.COUNTER_NAME).endMetadata().withData(Map.of("next", "1", "ledger", "v1")).build()).update();

    long serial = ledger(client, namespace).bind(machine("after-restore"));

    assertThat(bound).doesNotContain(serial);
    assertThat(stored(client, namespace)).hasSize(26);
  }

  private static Map<String, Long> bindConcurrently(List<SerialLedger> replicas, List<Machine> machines) throws Exception {
    List<Future<Long>> serials = new ArrayList<>();
    try (ExecutorService threads = Executors.newFixedThreadPool(12)) {
      for (int i = 0; i < machines.size(); i++) {
        SerialLedger replica = replicas.get(i % replicas.size());
        Machine machine = machines.get(i);
        serials.add(threads.submit(() -> replica.bind(machine)));
      }
    }
    Map<String, Long> assigned = new HashMap<>();
    for (int i = 0; i < machines.size(); i++) {
      assigned.put(machines.get(i).getMetadata().getUid(), serials.get(i).get());
    }
    return assigned;
  }

  private static Map<Long, String> stored(KubernetesClient client, TestNamespace namespace) {
    return client.configMaps().inNamespace(namespace.name()).withLabel(LedgerShards.LABEL).list().getItems().stream()
        .map(ConfigMap::getData).flatMap(data -> data.entrySet().stream())
        .collect(Collectors.toMap(entry -> Long.parseLong(entry.getKey()), Map.Entry::getValue));
  }

  private static Machine machine(String name) {
    Machine machine = new Machine();
    machine.setMetadata(new ObjectMetaBuilder().withName(name).withNamespace("team").withUid(UUID.randomUUID().toString()).build());
    return machine;
  }

  /** A ledger as one operator process would have it, kept in the test's namespace. */
  private static SerialLedger ledger(KubernetesClient client, TestNamespace namespace) {
    OperatorSettings settings = new TestSettings(namespace.name());
    return new SerialLedger(client, new SerialNumbers(client, settings), settings, Optional.of(List.of(namespace.name())));
  }

  private record TestSettings(String operatorNamespace) implements OperatorSettings {
    @Override
    public String clusterDomain() {
      return "cluster.local";
    }

    @Override
    public Engine engine() {
      throw new UnsupportedOperationException();
    }

    @Override
    public Serials serials() {
      return () -> BLOCK;
    }

    @Override
    public NetworkPolicies networkPolicies() {
      throw new UnsupportedOperationException();
    }

    @Override
    public Hosts hosts() {
      throw new UnsupportedOperationException();
    }

    @Override
    public LeaderElectionTimes leaderElection() {
      throw new UnsupportedOperationException();
    }
  }
}
