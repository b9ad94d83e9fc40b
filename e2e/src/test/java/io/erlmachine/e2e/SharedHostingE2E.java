package io.erlmachine.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.erlmachine.e2e.RealNodeCluster.RealNode;
import io.erlmachine.testkit.CommandRunner;
import io.erlmachine.testkit.Repository;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointSlice;
import java.time.Duration;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The orders example as the user gets it (shared hosting is the default) on the real node: the
 * four machines run in one engine host pod, each on its own port, and are reached by their own
 * DNS names through a Service and an EndpointSlice the operator writes.
 */
@ExtendWith(RealNodeCluster.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class SharedHostingE2E {
  private static final String NAMESPACE = "e2e-shared";
  private static final String ROLL_NAMESPACE = "e2e-roll";
  private RealNode node;
  private OrdersExample example;

  /** Where a machine runs, from its status. */
  private record Placed(String hosting, String host, int port, long serial) {
  }

  @BeforeAll
  void deployExample(RealNode node) {
    this.node = node;
    this.example = OrdersExample.deploy(node, NAMESPACE, null);
  }

  @AfterAll
  void deleteNamespace() {
    if (example != null) {
      example.delete();
    }
  }

  @Test
  @Order(1)
  void theMachinesShareARestrictedHostPodEachOnItsOwnPortAndDnsName() {
    example.awaitMachinesReady(Duration.ofMinutes(8));
    Map<String, Placed> placed = placements();
    assertThat(placed.values()).extracting(Placed::hosting).containsOnly("Shared");
    assertThat(placed.values().stream().map(Placed::port).distinct().count()).as("one port per machine").isEqualTo(placed.size());
    for (var entry : placed.entrySet()) {
      String machine = entry.getKey();
      Placed where = entry.getValue();
      Pod host = node.client().pods().inNamespace(NAMESPACE).withName(where.host()).get();
      assertThat(host).as(machine + "'s host " + where.host()).isNotNull();
      assertThat(host.getSpec().getNodeName()).isEqualTo("erlmachine-node-1");
      var container = host.getSpec().getContainers().getFirst();
      assertThat(container.getImage()).isEqualTo("erlmachine/engine:0.1.0");
      assertThat(container.getSecurityContext().getReadOnlyRootFilesystem()).isTrue();
      assertThat(container.getSecurityContext().getAllowPrivilegeEscalation()).isFalse();

      EndpointSlice slice = node.client().discovery().v1().endpointSlices().inNamespace(NAMESPACE)
          .withLabel("kubernetes.io/service-name", machine).list().getItems().getFirst();
      assertThat(slice.getPorts()).extracting(port -> port.getPort()).containsExactly(where.port());
      assertThat(slice.getEndpoints()).singleElement().satisfies(endpoint -> {
        assertThat(endpoint.getAddresses()).containsExactly(host.getStatus().getPodIP());
        assertThat(endpoint.getConditions().getReady()).isTrue();
      });

      JsonNode self = example.http(machine).getOnceRouted("/api/v1/machine");
      assertThat(self.path("name").asText()).isEqualTo(machine);
      assertThat(self.path("dnsName").asText()).isEqualTo(machine + "." + NAMESPACE + ".svc.cluster.local");
      assertThat(self.path("serial").asLong()).isEqualTo(where.serial());
      assertThat(self.path("ready").asBoolean()).as(machine + " ready").isTrue();
    }
  }

  @Test
  @Order(2)
  void aMessageSentThroughTheGatewayServiceCrossesEveryMachineByTransmissions() {
    example.awaitMachinesReady(Duration.ofMinutes(8));
    example.anOrderCrossesEveryMachineByDnsName();
  }

  @Test
  @Order(3)
  void aNewMachineOnARunningHostServesWithinSeconds() {
    example.awaitMachinesReady(Duration.ofMinutes(8));
    long started = System.nanoTime();
    createMachine("late");
    OrdersExample.awaitTrue(Duration.ofSeconds(60), () -> "late".equals(example.http("late").get("/api/v1/machine").path("name").asText())
        && isReady("late"), () -> "the new machine did not serve at its DNS name");
    Duration took = Duration.ofNanos(System.nanoTime() - started);
    System.out.printf("a new shared Machine on a running host: Ready and answering through its Service %d ms after it was created%n",
        took.toMillis());
    assertThat(took).as("from create to serving through its Service").isLessThan(Duration.ofSeconds(20));
  }

  /**
   * A host pod deleted with its machines on it comes back under the same name (a StatefulSet pod),
   * and with it every machine: the same serial, the same port, reached by the same DNS name.
   */
  @Test
  @Order(4)
  void aDeletedHostPodIsReplacedAndItsMachinesServeAgainWithTheirSerials() {
    example.awaitMachinesReady(Duration.ofMinutes(8));
    Map<String, Placed> before = placements();
    Set<String> hosts = new HashSet<>();
    before.values().forEach(placed -> hosts.add(placed.host()));
    String uidBefore = node.client().pods().inNamespace(NAMESPACE).withName(before.get("gateway").host()).get().getMetadata().getUid();
    long started = System.nanoTime();
    hosts.forEach(host -> node.client().pods().inNamespace(NAMESPACE).withName(host).delete());
    OrdersExample.awaitTrue(Duration.ofMinutes(4), () -> {
      Pod replaced = node.client().pods().inNamespace(NAMESPACE).withName(before.get("gateway").host()).get();
      if (replaced == null || uidBefore.equals(replaced.getMetadata().getUid())) {
        return false;
      }
      return OrdersExample.MACHINES.stream().allMatch(machine ->
          example.http(machine).get("/api/v1/machine").path("serial").asLong() == before.get(machine).serial());
    }, () -> "the machines did not come back on a new host pod");
    Duration took = Duration.ofNanos(System.nanoTime() - started);
    System.out.printf("host pod deleted: its %d machines answered again through their Services, same serials, %d ms later%n",
        before.size(), took.toMillis());
    example.awaitMachinesReady(Duration.ofMinutes(2));
    assertThat(placements()).as("same hosts, ports and serials").isEqualTo(before);
  }

  /**
   * {@code ./erlmachine logs MACHINE -n NAMESPACE --tail N}, run as a user runs it, reads one machine's own lines from its
   * shared host pod (through a port-forward to the host): the archive's heartbeat lines, none of the gateway's orders,
   * and the other way round, though both machines run in the same pod.
   */
  @Test
  @Order(5)
  void theLogsVerbShowsOneSharedMachinesOwnLinesAndNoneOfItsNeighbours() {
    example.awaitMachinesReady(Duration.ofMinutes(8));
    example.anOrderCrossesEveryMachineByDnsName();
    Map<String, String> gearboxOf = Map.of("gateway", "intake", "validator-1", "validation", "catalog", "catalog", "archive", "archive");
    assertThat(placements().get("archive").host()).as("the two machines share a host pod").isEqualTo(placements().get("gateway").host());
    OrdersExample.awaitTrue(Duration.ofSeconds(30), () -> logs("archive", 50).contains("[archive/beat-log]"),
        () -> "the archive's heartbeat did not show in its log");
    for (String machine : List.of("archive", "gateway")) {
      List<String> lines = logs(machine, 50).lines().toList();
      System.out.printf("erlmachine logs %s -n %s --tail 50: %d lines, the last: %s%n", machine, NAMESPACE, lines.size(),
          lines.isEmpty() ? "none" : lines.getLast());
      assertThat(lines).as(machine + "'s log").isNotEmpty().hasSizeLessThanOrEqualTo(50);
      String own = "[" + gearboxOf.get(machine) + "/";
      assertThat(lines).as(machine + "'s log has lines of its own gears").anyMatch(line -> line.contains(own));
      for (var neighbour : gearboxOf.entrySet()) {
        if (!neighbour.getKey().equals(machine)) {
          assertThat(lines).as(machine + "'s log shows no line of " + neighbour.getKey())
              .noneMatch(line -> line.contains("[" + neighbour.getValue() + "/"));
        }
      }
    }
    assertThat(logs("gateway", 50)).as("the order the gateway audited").contains("[intake/audit]");
  }

  /** Runs {@code ./erlmachine logs} against the test cluster and returns what it printed; fails when it fails. */
  private String logs(String machine, int tail) {
    CommandRunner.Result result = CommandRunner.run(List.of(Repository.path("erlmachine").toString(), "logs", machine, "-n", NAMESPACE,
        "--tail", Integer.toString(tail), "--kubeconfig", node.kubeconfig().toString()), Map.of(), Duration.ofMinutes(10));
    assertThat(result.exitCode()).as("erlmachine logs " + machine + ": " + result.stderr()).isZero();
    return result.stdout();
  }

  /**
   * A rolling restart of a namespace's engine hosts while a client streams messages into a machine that forwards them by
   * transmission to a machine on the other host, which forwards them to a dedicated machine (not rolled) that counts
   * each message's id: every message the first machine accepted is counted, with the default delivery policy.
   */
  @Test
  @Order(6)
  void aRollingRestartOfTheHostsLosesNoAcceptedMessage() throws InterruptedException {
    HostRoll roll = HostRoll.deploy(node, ROLL_NAMESPACE);
    try {
      roll.awaitMachinesReady(Duration.ofMinutes(8));
      assertThat(roll.hostOf("front")).as("front and relay on different hosts").isNotEqualTo(roll.hostOf("relay")).isNotBlank();
      MachineHttp front = roll.http("front");
      MachineHttp tally = roll.http("tally");
      front.getOnceRouted("/api/v1/machine");
      tally.getOnceRouted("/api/v1/machine");
      Set<Long> accepted;
      Map<String, Long> refused;
      Map<String, Long> toRelay;
      Map<String, Long> toTally;
      Duration rolled;
      try (SteadyClient client = new SteadyClient(front, HostRoll.FRONT_IN, Duration.ofMillis(20));
           TransmissionCounters frontCounters = new TransmissionCounters(front, "to-relay");
           TransmissionCounters relayCounters = new TransmissionCounters(roll.http("relay"), "to-tally")) {
        OrdersExample.awaitTrue(Duration.ofMinutes(2), () -> client.accepted().size() >= 200,
            () -> "front accepted only " + client.accepted().size() + "; refused " + client.refused());
        long started = System.nanoTime();
        roll.restartHosts(Duration.ofMinutes(10));
        rolled = Duration.ofNanos(System.nanoTime() - started);
        roll.awaitMachinesReady(Duration.ofMinutes(3));
        int acceptedAfterTheRoll = client.accepted().size();
        OrdersExample.awaitTrue(Duration.ofMinutes(2), () -> client.accepted().size() >= acceptedAfterTheRoll + 200,
            () -> "front accepted too little after the roll: " + client.refused());
        client.close();
        accepted = client.accepted();
        refused = client.refused();
        AtomicReference<Set<Long>> missing = new AtomicReference<>(accepted);
        OrdersExample.awaitTrue(Duration.ofMinutes(3), () -> {
          missing.set(missing(accepted, tally));
          return missing.get().isEmpty();
        }, () -> missing.get().size() + " accepted messages never reached the tally: " + missing.get().stream().limit(50).toList()
            + "; to-relay " + frontCounters.totals() + ", to-tally " + relayCounters.totals() + "; front's dead letters now "
            + front.get("/api/v1/dead-letters"));
        frontCounters.read();
        relayCounters.read();
        toRelay = frontCounters.totals();
        toTally = relayCounters.totals();
      }
      var state = tally.get(HostRoll.TALLY_STATE);
      System.out.printf("rolling restart of %d engine hosts under a steady stream: the roll took %d s; front accepted %d messages"
          + " (refused %s), the tally counted %d distinct (%d repeated deliveries); to-relay %s, to-tally %s%n",
          roll.hostPods().size(), rolled.toSeconds(), accepted.size(), refused, state.path("distinct").asLong(),
          state.path("repeated").asLong(), toRelay, toTally);
      assertThat(state.path("distinct").asLong()).as("every accepted message counted (and some whose answer the client missed)")
          .isGreaterThanOrEqualTo(accepted.size());
      assertThat(toRelay.get("deadLettered") + toTally.get("deadLettered")).as("dead letters seen").isZero();
      assertThat(toRelay.get("heldForMove")).as("front held messages for relay while relay's host rolled").isPositive();
    } finally {
      roll.delete();
    }
  }

  /** The accepted ids the tally has not counted. */
  private static Set<Long> missing(Set<Long> accepted, MachineHttp tally) {
    Set<Long> missing = new java.util.TreeSet<>(accepted);
    tally.get(HostRoll.TALLY_STATE).path("seen").fieldNames().forEachRemaining(id -> missing.remove(Long.parseLong(id)));
    return missing;
  }

  private void createMachine(String name) {
    node.client().resource(new io.fabric8.kubernetes.api.model.GenericKubernetesResourceBuilder()
        .withApiVersion("erlmachine.io/v1alpha1").withKind("Machine")
        .withNewMetadata().withName(name).withNamespace(NAMESPACE).endMetadata()
        .addToAdditionalProperties("spec", Map.of()).build()).create();
  }

  private boolean isReady(String machine) {
    return "True".equals(node.kubectl().output("get", "machine", machine, "-n", NAMESPACE,
        "-o", "jsonpath={.status.conditions[?(@.type==\"Ready\")].status}"));
  }

  private Map<String, Placed> placements() {
    Map<String, Placed> placed = new HashMap<>();
    String lines = node.kubectl().output("get", "machines", "-n", NAMESPACE, "-o",
        "jsonpath={range .items[*]}{.metadata.name} {.status.hosting} {.status.host} {.status.port} {.status.serial}{\"\\n\"}{end}");
    for (String line : lines.strip().split("\n")) {
      List<String> fields = List.of(line.strip().split(" "));
      if (OrdersExample.MACHINES.contains(fields.get(0))) {
        assertThat(fields).as("status of " + fields.get(0)).hasSize(5);
        placed.put(fields.get(0), new Placed(fields.get(1), fields.get(2), Integer.parseInt(fields.get(3)), Long.parseLong(fields.get(4))));
      }
    }
    assertThat(placed.keySet()).containsExactlyInAnyOrderElementsOf(OrdersExample.MACHINES);
    return placed;
  }
}
