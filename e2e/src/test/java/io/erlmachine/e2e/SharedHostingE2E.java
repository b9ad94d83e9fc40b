package io.erlmachine.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.erlmachine.e2e.RealNodeCluster.RealNode;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointSlice;
import java.time.Duration;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
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
