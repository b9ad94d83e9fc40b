package io.erlmachine.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.erlmachine.e2e.RealNodeCluster.RealNode;
import io.fabric8.kubernetes.api.model.ContainerStatus;
import io.fabric8.kubernetes.api.model.Pod;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.ExtendWith;

/** The orders example (deploy/examples/orders) on the real node as dedicated Machines: four engines in pods of their own, messages between them by their DNS names. */
@ExtendWith(RealNodeCluster.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class OrdersE2E {
  private static final String NAMESPACE = "e2e-orders";
  private static final List<String> MACHINES = OrdersExample.MACHINES;
  private static final String ORDERS = OrdersExample.ORDERS;
  private static final String ARCHIVED = OrdersExample.ARCHIVED;
  private RealNode node;
  private OrdersExample example;

  @BeforeAll
  void deployExample(RealNode node) {
    this.node = node;
    this.example = OrdersExample.deploy(node, NAMESPACE, "Dedicated");
  }

  @AfterAll
  void deleteNamespace() {
    if (example != null) {
      example.delete();
    }
  }

  @Test
  @Order(1)
  void machinesBecomeReadyBecauseTheirEnginesRunInRestrictedPods() {
    awaitMachinesReady();
    for (String machine : MACHINES) {
      Pod pod = enginePod(machine);
      assertThat(pod.getSpec().getNodeName()).as(machine).isEqualTo("erlmachine-node-1");
      var container = pod.getSpec().getContainers().getFirst();
      assertThat(container.getImage()).isEqualTo("erlmachine/engine:0.1.0");
      assertThat(container.getSecurityContext().getReadOnlyRootFilesystem()).isTrue();
      assertThat(container.getSecurityContext().getAllowPrivilegeEscalation()).isFalse();
      assertThat(pod.getStatus().getContainerStatuses()).allMatch(ContainerStatus::getReady);
      JsonNode self = MachineHttp.of(node, NAMESPACE, machine).getOnceRouted("/api/v1/machine");
      assertThat(self.path("name").asText()).isEqualTo(machine);
      assertThat(self.path("dnsName").asText()).isEqualTo(machine + "." + NAMESPACE + ".svc.cluster.local");
      assertThat(self.path("ready").asBoolean()).as(machine + " ready").isTrue();
      assertThat(self.path("compiler").path("active").asBoolean()).as(machine + " runs the optimizing compiler").isTrue();
    }
  }

  @Test
  @Order(2)
  void aMessageSentThroughTheGatewayServiceCrossesEveryMachineByTransmissions() {
    awaitMachinesReady();
    example.anOrderCrossesEveryMachineByDnsName();
  }

  /**
   * docs/transmissions.md: delivery is at least once between running engines; a message an engine
   * holds in memory when its process is killed is lost. The validator is killed with SIGKILL while
   * orders stream in; kubelet restarts it. Orders the gateway still held are archived or
   * dead-lettered there, so no order accepted after the kill is lost, none is archived twice, and
   * orders sent after the restart all arrive.
   */
  @Test
  @Order(3)
  void anEngineKilledMidStreamIsRestartedAndLosesOnlyWhatItHeld() throws InterruptedException {
    awaitMachinesReady();
    MachineHttp gateway = MachineHttp.of(node, NAMESPACE, "gateway");
    MachineHttp archive = MachineHttp.of(node, NAMESPACE, "archive");
    awaitQuiet(gateway, archive);
    long archivedBefore = archive.get(ARCHIVED).path("count").asLong();
    long deadBefore = toValidation(gateway).path("deadLettered").asLong();
    Pod validator = enginePod("validator-1");
    ContainerStatus status = validator.getStatus().getContainerStatuses().getFirst();
    int restartsBefore = status.getRestartCount();

    AtomicBoolean sending = new AtomicBoolean(true);
    AtomicInteger accepted = new AtomicInteger();
    AtomicInteger refused = new AtomicInteger();
    Thread sender = Thread.ofPlatform().start(() -> {
      for (int id = 1; sending.get(); id++) {
        try {
          int code = gateway.post(ORDERS, "{\"id\": " + id + ", \"total\": 20, \"country\": \"FR\"}");
          (code == 202 ? accepted : refused).incrementAndGet();
        } catch (MachineHttp.UncheckedHttpException e) {
          refused.incrementAndGet();
        }
      }
    });
    OrdersExample.awaitTrue(Duration.ofMinutes(2), () -> accepted.get() >= 50,
        () -> "the gateway accepted only " + accepted.get() + " orders and refused " + refused.get());
    ProcessHandle java = ProcessHandle.of(node.containerPid(status.getContainerID())).orElseThrow();
    assertThat(java.info().command().orElse("")).endsWith("java");
    int acceptedAtKill = accepted.get();
    java.destroyForcibly();
    Thread.sleep(3000);
    sending.set(false);
    sender.join();

    OrdersExample.awaitTrue(Duration.ofMinutes(3), () -> {
      ContainerStatus now = enginePod("validator-1").getStatus().getContainerStatuses().getFirst();
      return now.getRestartCount() > restartsBefore && Boolean.TRUE.equals(now.getReady());
    }, () -> "kubelet did not restart validator-1's engine");
    ContainerStatus restarted = enginePod("validator-1").getStatus().getContainerStatuses().getFirst();
    assertThat(restarted.getLastState().getTerminated().getExitCode()).isEqualTo(137);
    awaitQuiet(gateway, archive);

    long archived = archive.get(ARCHIVED).path("count").asLong() - archivedBefore;
    long deadLettered = toValidation(gateway).path("deadLettered").asLong() - deadBefore;
    long lost = accepted.get() - archived - deadLettered;
    System.out.printf("kill -9 of validator-1 mid-stream: %d orders accepted by the gateway (%d before the kill), %d refused while it was down;"
        + " %d archived, %d dead-lettered at the gateway, %d lost%n", accepted.get(), acceptedAtKill, refused.get(), archived, deadLettered, lost);
    assertThat(lost).as("orders archived twice").isNotNegative();
    assertThat(lost).as("only orders the killed engine already held can be lost").isLessThanOrEqualTo(acceptedAtKill);

    int after = 200;
    for (int id = 1; id <= after; id++) {
      assertThat(gateway.post(ORDERS, "{\"id\": " + id + ", \"total\": 30, \"country\": \"NL\"}")).isEqualTo(202);
    }
    awaitQuiet(gateway, archive);
    assertThat(archive.get(ARCHIVED).path("count").asLong() - archivedBefore - archived)
        .as("orders accepted after the restart that reached the archive").isEqualTo(after);
  }

  private JsonNode toValidation(MachineHttp gateway) {
    for (JsonNode transmission : gateway.get("/api/v1/transmissions")) {
      if ("to-validation".equals(transmission.path("name").asText())) {
        return transmission.path("counters");
      }
    }
    throw new AssertionError("the gateway has no transmission to-validation");
  }

  /** Waits until the gateway holds nothing for the validators and the archive's count stands still. */
  private void awaitQuiet(MachineHttp gateway, MachineHttp archive) {
    long[] last = {-1};
    OrdersExample.awaitTrue(Duration.ofSeconds(90), () -> {
      long count = archive.get(ARCHIVED).path("count").asLong();
      boolean still = count == last[0] && toValidation(gateway).path("queued").asLong() == 0;
      last[0] = count;
      return still;
    }, () -> "the orders did not settle");
  }

  private void awaitMachinesReady() {
    example.awaitMachinesReady(Duration.ofMinutes(8));
  }

  private Pod enginePod(String machine) {
    return node.client().pods().inNamespace(NAMESPACE).withName(machine + "-0").get();
  }
}
