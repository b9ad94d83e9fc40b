package io.erlmachine.engine.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.erlmachine.testkit.KwokClusterExtension;
import io.erlmachine.testkit.TestNamespace;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.api.model.ServiceAccountBuilder;
import io.fabric8.kubernetes.api.model.authentication.TokenRequestBuilder;
import io.fabric8.kubernetes.api.model.rbac.PolicyRuleBuilder;
import io.fabric8.kubernetes.api.model.rbac.RoleBindingBuilder;
import io.fabric8.kubernetes.api.model.rbac.RoleBuilder;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.base.ResourceDefinitionContext;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * erlmachine logs against the test cluster's API server: what it says when the Machine is unknown, not placed, its
 * host pod not running, or the user may not read the control token or port-forward. kwok's pods run no engine and
 * serve no port-forward, so the lines themselves are read in LocalLogsIT and MachineLogsTest.
 */
@ExtendWith(KwokClusterExtension.class)
class ClusterLogsIT {
  private static final ResourceDefinitionContext MACHINES = new ResourceDefinitionContext.Builder()
      .withGroup("erlmachine.io").withVersion("v1alpha1").withKind("Machine").withPlural("machines").withNamespaced(true).build();
  private static final String HOST_POD = "erlmachine-host-0";

  @Test
  void unknownUnplacedAndNotRunningMachinesAreSaidSo(TestNamespace namespace, KwokClusterExtension.ClusterAccess cluster) {
    String kubeconfig = cluster.kubeconfig().toString();
    assertThatThrownBy(() -> logs(kubeconfig, namespace.name(), "nope")).isInstanceOf(CliProblem.class)
        .hasMessageContaining("no Machine nope in namespace " + namespace.name());

    createMachine(namespace.client(), namespace.name(), "catalog");
    assertThatThrownBy(() -> logs(kubeconfig, namespace.name(), "catalog"))
        .hasMessageContaining("Machine " + namespace.name() + "/catalog has not been placed yet");

    place(namespace.client(), namespace.name(), "catalog", 20001);
    assertThatThrownBy(() -> logs(kubeconfig, namespace.name(), "catalog"))
        .hasMessageContaining("machine " + namespace.name() + "/catalog (on host pod " + HOST_POD + ", port 20001) is not ready")
        .hasMessageContaining("the pod does not exist");
  }

  @Test
  void aUserWhoMayNotReadTheControlTokenOrPortForwardIsToldWhichPermissionIsMissing(TestNamespace namespace,
                                                                                    KwokClusterExtension.ClusterAccess cluster)
      throws Exception {
    KubernetesClient admin = namespace.client();
    String ns = namespace.name();
    createMachine(admin, ns, "catalog");
    place(admin, ns, "catalog", 20001);
    runningHostPod(admin, ns);
    admin.secrets().inNamespace(ns).resource(new SecretBuilder().withNewMetadata().withName(ClusterMachineEndpoint.CONTROL_SECRET)
        .endMetadata().withStringData(Map.of("token", "t0ken")).build()).create();

    Path reader = kubeconfigFor(admin, cluster, ns, "log-reader", List.of("machines", "pods"), false, List.of());
    assertThatThrownBy(() -> logs(reader.toString(), ns, "catalog"))
        .hasMessageContaining("you may not read the Secret erlmachine-host-control in namespace " + ns)
        .hasMessageContaining("kubectl auth can-i get secret/erlmachine-host-control -n " + ns);

    Path tokenReader = kubeconfigFor(admin, cluster, ns, "token-reader", List.of("machines", "pods"), true, List.of());
    assertThatThrownBy(() -> logs(tokenReader.toString(), ns, "catalog"))
        .hasMessageContaining("you may not port-forward to pod " + HOST_POD + " in namespace " + ns)
        .hasMessageContaining("missing get and create on pods/portforward");

    // Enough for a SPDY port-forward, not for the WebSocket one the client opens.
    Path spdyOnly = kubeconfigFor(admin, cluster, ns, "spdy-only", List.of("machines", "pods"), true, List.of("create"));
    assertThatThrownBy(() -> logs(spdyOnly.toString(), ns, "catalog"))
        .hasMessageContaining("you may not port-forward to pod " + HOST_POD + " in namespace " + ns)
        .hasMessageContaining("missing get on pods/portforward");

    // Everything allowed: the command gets as far as the port-forward, which a kwok pod (no kubelet) cannot serve.
    assertThatThrownBy(() -> logs(cluster.kubeconfig().toString(), ns, "catalog"))
        .hasMessageContaining("cannot reach machine " + ns + "/catalog (on host pod " + HOST_POD + ", port 20001)")
        .hasMessageContaining("the port-forward failed");
  }

  private static void logs(String kubeconfig, String namespace, String machine) {
    PrintStream out = new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8);
    new LogsCommand(LogsOptions.parse(new String[] {machine, "-n", namespace, "--kubeconfig", kubeconfig}, java.time.Clock.systemUTC()),
        out).run();
  }

  private static void createMachine(KubernetesClient client, String namespace, String name) {
    GenericKubernetesResource machine = new GenericKubernetesResource();
    machine.setApiVersion("erlmachine.io/v1alpha1");
    machine.setKind("Machine");
    machine.setMetadata(new io.fabric8.kubernetes.api.model.ObjectMetaBuilder().withName(name).withNamespace(namespace).build());
    machine.setAdditionalProperty("spec", Map.of());
    client.genericKubernetesResources(MACHINES).inNamespace(namespace).resource(machine).create();
  }

  /** What the operator writes when it places a shared Machine (no operator runs in this test). */
  private static void place(KubernetesClient client, String namespace, String name, int port) {
    GenericKubernetesResource machine = client.genericKubernetesResources(MACHINES).inNamespace(namespace).withName(name).get();
    machine.setAdditionalProperty("status", Map.of("hosting", "Shared", "host", HOST_POD, "port", port, "serial", 1,
        "conditions", List.of(Map.of("type", "Ready", "status", "False", "reason", "WaitingForHost",
            "message", "host erlmachine-host-0 is starting", "lastTransitionTime", "2026-01-01T00:00:00Z"))));
    client.genericKubernetesResources(MACHINES).inNamespace(namespace).resource(machine).updateStatus();
  }

  private static void runningHostPod(KubernetesClient client, String namespace) {
    String node = client.nodes().list().getItems().stream()
        .filter(n -> n.getMetadata().getAnnotations() != null && "fake".equals(n.getMetadata().getAnnotations().get("kwok.x-k8s.io/node")))
        .findFirst().orElseThrow(() -> new IllegalStateException("the test cluster has no kwok node")).getMetadata().getName();
    client.pods().inNamespace(namespace).resource(new PodBuilder().withNewMetadata().withName(HOST_POD).endMetadata()
        .withNewSpec().withNodeName(node).addNewContainer().withName("engine").withImage("erlmachine/engine:0.1.0").endContainer()
        .addNewToleration().withOperator("Exists").endToleration().endSpec().build()).create();
    await().atMost(Duration.ofSeconds(60)).until(() -> {
      Pod pod = client.pods().inNamespace(namespace).withName(HOST_POD).get();
      return pod.getStatus() != null && "Running".equals(pod.getStatus().getPhase());
    });
  }

  /** A kubeconfig for a ServiceAccount that may get the given resources in the namespace, and the control Secret or not. */
  private static Path kubeconfigFor(KubernetesClient admin, KwokClusterExtension.ClusterAccess cluster, String namespace, String name,
                                    List<String> resources, boolean controlSecret, List<String> portForwardVerbs) throws Exception {
    admin.serviceAccounts().inNamespace(namespace).resource(new ServiceAccountBuilder().withNewMetadata().withName(name).endMetadata()
        .build()).create();
    RoleBuilder role = new RoleBuilder().withNewMetadata().withName(name).endMetadata()
        .addToRules(new PolicyRuleBuilder().withApiGroups("", "erlmachine.io").withResources(resources).withVerbs("get").build());
    if (controlSecret) {
      role.addToRules(new PolicyRuleBuilder().withApiGroups("").withResources("secrets")
          .withResourceNames(ClusterMachineEndpoint.CONTROL_SECRET).withVerbs("get").build());
    }
    if (!portForwardVerbs.isEmpty()) {
      role.addToRules(new PolicyRuleBuilder().withApiGroups("").withResources("pods/portforward").withVerbs(portForwardVerbs).build());
    }
    admin.rbac().roles().inNamespace(namespace).resource(role.build()).create();
    admin.rbac().roleBindings().inNamespace(namespace).resource(new RoleBindingBuilder().withNewMetadata().withName(name).endMetadata()
        .withNewRoleRef().withApiGroup("rbac.authorization.k8s.io").withKind("Role").withName(name).endRoleRef()
        .addNewSubject().withKind("ServiceAccount").withName(name).withNamespace(namespace).endSubject().build()).create();
    String token = admin.serviceAccounts().inNamespace(namespace).withName(name)
        .tokenRequest(new TokenRequestBuilder().withNewSpec().withExpirationSeconds(3600L).endSpec().build()).getStatus().getToken();
    Config config = Config.fromKubeconfig(Files.readString(cluster.kubeconfig()));
    String ca = config.getCaCertData() != null ? config.getCaCertData()
        : Base64.getEncoder().encodeToString(Files.readAllBytes(Path.of(config.getCaCertFile())));
    String yaml = """
        apiVersion: v1
        kind: Config
        clusters: [{name: test, cluster: {server: "%s", certificate-authority-data: "%s"}}]
        users: [{name: %s, user: {token: "%s"}}]
        contexts: [{name: %s, context: {cluster: test, user: %s, namespace: %s}}]
        current-context: %s
        """.formatted(config.getMasterUrl(), ca, name, token, name, name, namespace, name);
    Path file = Files.createTempFile(Path.of("target"), name, ".kubeconfig");
    Files.writeString(file, yaml);
    return file;
  }
}
