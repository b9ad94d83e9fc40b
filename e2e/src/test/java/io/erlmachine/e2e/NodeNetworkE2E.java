package io.erlmachine.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import io.erlmachine.e2e.RealNodeCluster.RealNode;
import io.erlmachine.testkit.CommandRunner;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;

/** The real node's network: pods resolve cluster names, reach Services and the API server, and nothing they send leaves the machine. */
@ExtendWith(RealNodeCluster.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class NodeNetworkE2E {
  private static final String NAMESPACE = "e2e-node-network";
  private RealNode node;
  private CheckPod client;
  private CheckPod web;

  @BeforeAll
  void startPods(RealNode node) {
    this.node = node;
    node.client().namespaces().withName(NAMESPACE).delete();
    node.client().namespaces().withName(NAMESPACE).waitUntilCondition(ns -> ns == null, 2, java.util.concurrent.TimeUnit.MINUTES);
    node.createNamespace(NAMESPACE);
    web = CheckPod.start(node, NAMESPACE, "web", "httpd", "-f", "-p", "8080", "-h", "/etc");
    node.kubectl().run("expose", "pod", "web", "-n", NAMESPACE, "--port", "80", "--target-port", "8080").assertSuccess();
    client = CheckPod.start(node, NAMESPACE, "client", "sleep", "3600");
  }

  @AfterAll
  void deleteNamespace() {
    if (node != null) {
      node.client().namespaces().withName(NAMESPACE).delete();
    }
  }

  @Test
  void podsLandOnTheRealNodeOnlyThroughTheirNamespaceDefaults() {
    var pod = node.client().pods().inNamespace(NAMESPACE).withName("client").get();
    assertThat(pod.getSpec().getNodeName()).isEqualTo("erlmachine-node-1");
    assertThat(pod.getSpec().getTolerations()).anyMatch(t -> "erlmachine.io/real-node".equals(t.getKey()));
    var realNode = node.client().nodes().withName("erlmachine-node-1").get();
    assertThat(realNode.getSpec().getTaints()).anyMatch(t -> "erlmachine.io/real-node".equals(t.getKey()) && "NoSchedule".equals(t.getEffect()));
  }

  @Test
  void serviceNamesResolveInsidePodsAndServicesRouteToTheirPods() {
    CommandRunner.Result answer = client.exec("wget", "-q", "-O", "-", "http://web." + NAMESPACE + ".svc.cluster.local/hostname");
    assertThat(answer.exitCode()).as(answer.stderr()).isZero();
    assertThat(answer.stdout().strip()).isEqualTo("web");
    String apiServer = client.exec("nslookup", "kubernetes.default.svc.cluster.local").assertSuccess().stdout();
    String serviceIp = node.client().services().inNamespace("default").withName("kubernetes").get().getSpec().getClusterIP();
    assertThat(apiServer).contains(serviceIp);
  }

  @Test
  void podsReachTheApiServerThroughTheKubernetesService() {
    CommandRunner.Result livez = client.exec("wget", "-q", "-O", "-", "--no-check-certificate", "https://kubernetes.default.svc.cluster.local/livez");
    assertThat(livez.exitCode()).as(livez.stderr()).isZero();
    assertThat(livez.stdout()).isEqualTo("ok");
  }

  @Test
  void namesOutsideTheClusterAreNotResolved() {
    CommandRunner.Result outside = client.exec("nslookup", "example.com");
    assertThat(outside.exitCode()).isNotZero();
  }

  @Test
  void podAndServiceAddressesAreRoutedOnThisMachine() {
    String defaultDevice = output("ip", "-o", "route", "show", "default").replaceAll(".* dev (\\S+).*", "$1").strip();
    String serviceIp = node.client().services().inNamespace(NAMESPACE).withName("web").get().getSpec().getClusterIP();
    for (String address : List.of(web.podIp(), serviceIp)) {
      assertThat(output("ip", "route", "get", address)).as(address).doesNotContain("dev " + defaultDevice + " ");
    }
    assertThat(output("nft", "list", "table", "inet", "erlmachine_guard")).contains("reject");
  }

  @Test
  void privateAddressesBeyondThisMachineAreRefusedToPods() {
    CommandRunner.Result connect = client.exec("wget", "-q", "-O", "-", "http://10.1.2.3/");
    assertThat(connect.exitCode()).isNotZero();
    assertThat(connect.stderr()).contains("refused");
  }

  private static String output(String... command) {
    return CommandRunner.run(List.of(command), Map.of(), Duration.ofSeconds(10)).assertSuccess().stdout();
  }
}
