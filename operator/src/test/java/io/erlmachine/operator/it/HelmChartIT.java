package io.erlmachine.operator.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;
import static org.awaitility.Awaitility.await;

import io.erlmachine.api.v1alpha1.Machine;
import io.erlmachine.testkit.CommandRunner;
import io.erlmachine.testkit.KwokClusterExtension;
import io.erlmachine.testkit.KwokClusterExtension.ClusterAccess;
import io.erlmachine.testkit.Repository;
import io.erlmachine.testkit.TestNamespace;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.authorization.v1.SubjectAccessReview;
import io.fabric8.kubernetes.api.model.authorization.v1.SubjectAccessReviewBuilder;
import io.fabric8.kubernetes.api.model.rbac.ClusterRole;
import io.fabric8.kubernetes.api.model.rbac.PolicyRule;
import io.fabric8.kubernetes.api.model.rbac.Role;
import io.fabric8.kubernetes.api.model.rbac.RoleBindingBuilder;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** The Helm chart: lint, rendering, the values schema, deploy/ drift, and RBAC that is exactly enough to run the operator. */
@ExtendWith(KwokClusterExtension.class)
class HelmChartIT {
  private static final String RELEASE = "erlmachine";
  private static final String RELEASE_NAMESPACE = "erlmachine-helm";
  private final Helm helm = new Helm();

  @Test
  void chartLintsCleanly() {
    assertThat(helm.run("lint", "--strict", Helm.CHART.toString()).assertSuccess().stdout()).contains("0 chart(s) failed");
  }

  @Test
  void defaultRenderingIsHardenedAndHasNoWildcardPermissions() {
    List<HasMetadata> objects = render();
    Deployment deployment = only(objects, Deployment.class);
    var pod = deployment.getSpec().getTemplate().getSpec();
    assertThat(pod.getSecurityContext().getRunAsNonRoot()).isTrue();
    assertThat(pod.getSecurityContext().getSeccompProfile().getType()).isEqualTo("RuntimeDefault");
    assertThat(pod.getContainers().get(0).getSecurityContext().getReadOnlyRootFilesystem()).isTrue();
    assertThat(pod.getContainers().get(0).getSecurityContext().getCapabilities().getDrop()).containsExactly("ALL");
    assertThat(objects).filteredOn(o -> o instanceof ClusterRole).hasSize(1);
    for (PolicyRule rule : rules(objects)) {
      assertThat(rule.getVerbs()).doesNotContain("*");
      assertThat(rule.getResources()).doesNotContain("*");
      assertThat(rule.getApiGroups()).doesNotContain("*");
    }
    assertThat(rules(objects)).filteredOn(rule -> rule.getResources().contains("secrets"))
        .as("Secrets: create, and everything else on the hosts' control token only").allSatisfy(rule -> assertThat(
            rule.getVerbs().equals(List.of("create")) || rule.getResourceNames().equals(List.of("erlmachine-host-control"))).isTrue());
  }

  @Test
  void watchedNamespacesGetNamespacedRolesInsteadOfAClusterRole() {
    List<HasMetadata> objects = render("--set", "watchNamespaces={team-a,team-b}", "--set", "replicaCount=2");
    assertThat(objects).noneMatch(o -> o instanceof ClusterRole);
    assertThat(objects).filteredOn(o -> o instanceof Role).extracting(o -> o.getMetadata().getNamespace())
        .contains("team-a", "team-b", RELEASE_NAMESPACE);
    Deployment deployment = only(objects, Deployment.class);
    assertThat(deployment.getSpec().getReplicas()).isEqualTo(2);
    assertThat(deployment.getSpec().getTemplate().getSpec().getContainers().get(0).getEnv())
        .anyMatch(env -> env.getName().equals("QUARKUS_OPERATOR_SDK_NAMESPACES") && env.getValue().equals("team-a,team-b"));
  }

  @Test
  void theOptInMachineLogsRoleGrantsWhatErlmachineLogsNeedsInTheNamespaceWhereItIsBoundAndNothingElse(TestNamespace namespace,
                                                                                                         ClusterAccess cluster) {
    assertThat(render()).as("off by default").noneMatch(o -> o.getMetadata().getName().equals(RELEASE + "-machine-logs"));
    ClusterRole role = only(render("--set", "userRoles.machineLogs.enabled=true").stream()
        .filter(o -> o.getMetadata().getName().equals(RELEASE + "-machine-logs")).toList(), ClusterRole.class);
    assertThat(role.getMetadata().getLabels()).as("aggregated into no built-in role")
        .noneSatisfy((key, value) -> assertThat(key).startsWith("rbac.authorization.k8s.io/aggregate-to"));
    assertThat(role.getRules()).extracting(PolicyRule::getApiGroups, PolicyRule::getResources, PolicyRule::getResourceNames, PolicyRule::getVerbs)
        .containsExactlyInAnyOrder(
            tuple(List.of("erlmachine.io"), List.of("machines"), List.of(), List.of("get")),
            tuple(List.of(""), List.of("pods"), List.of(), List.of("get")),
            tuple(List.of(""), List.of("pods/portforward"), List.of(), List.of("get", "create")),
            tuple(List.of(""), List.of("secrets"), List.of("erlmachine-host-control"), List.of("get")));

    // Applied and bound in one namespace: the API server's authorizer answers as the CLI needs.
    String user = "log-reader-" + namespace.name();
    cluster.client().resource(role).forceConflicts().serverSideApply();
    try {
      namespace.client().rbac().roleBindings().inNamespace(namespace.name()).resource(new RoleBindingBuilder()
          .withNewMetadata().withName("machine-logs").endMetadata()
          .withNewRoleRef().withApiGroup("rbac.authorization.k8s.io").withKind("ClusterRole").withName(role.getMetadata().getName()).endRoleRef()
          .addNewSubject().withApiGroup("rbac.authorization.k8s.io").withKind("User").withName(user).endSubject().build()).create();
      String ns = namespace.name();
      await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertThat(allowed(cluster, user, ns, "get", "erlmachine.io", "machines", "", "catalog")).isTrue());
      assertThat(allowed(cluster, user, ns, "get", "", "pods", "", "erlmachine-host-0")).isTrue();
      assertThat(allowed(cluster, user, ns, "get", "", "pods", "portforward", "erlmachine-host-0")).as("WebSocket port-forward").isTrue();
      assertThat(allowed(cluster, user, ns, "create", "", "pods", "portforward", "catalog-0")).as("SPDY port-forward").isTrue();
      assertThat(allowed(cluster, user, ns, "get", "", "secrets", "", "erlmachine-host-control")).isTrue();

      assertThat(allowed(cluster, user, ns, "get", "", "secrets", "", "other")).as("no other Secret").isFalse();
      assertThat(allowed(cluster, user, ns, "list", "", "secrets", "", "")).as("no listing of Secrets").isFalse();
      assertThat(allowed(cluster, user, ns, "update", "erlmachine.io", "machines", "", "catalog")).isFalse();
      assertThat(allowed(cluster, user, ns, "delete", "", "pods", "", "erlmachine-host-0")).isFalse();
      assertThat(allowed(cluster, user, ns, "create", "", "pods", "exec", "erlmachine-host-0")).isFalse();
      assertThat(allowed(cluster, user, "default", "get", "", "secrets", "", "erlmachine-host-control")).as("another namespace").isFalse();
      assertThat(allowed(cluster, user, "default", "get", "erlmachine.io", "machines", "", "catalog")).isFalse();
    } finally {
      cluster.client().resource(role).delete();
    }
  }

  private static boolean allowed(ClusterAccess cluster, String user, String namespace, String verb, String group, String resource,
                                 String subresource, String name) {
    SubjectAccessReview review = new SubjectAccessReviewBuilder().withNewSpec().withUser(user).withGroups("system:authenticated")
        .withNewResourceAttributes().withNamespace(namespace).withVerb(verb).withGroup(group).withResource(resource)
        .withSubresource(subresource).withName(name).endResourceAttributes().endSpec().build();
    return Boolean.TRUE.equals(cluster.client().authorization().v1().subjectAccessReview().create(review).getStatus().getAllowed());
  }

  @Test
  void valuesOutsideTheSchemaAreRejected() {
    CommandRunner.Result result = helm.run("template", RELEASE, Helm.CHART.toString(), "--set", "serials.blockSize=0");
    assertThat(result.exitCode()).isNotZero();
    assertThat(result.stderr()).contains("blockSize", "minimum");
    assertThat(helm.run("template", RELEASE, Helm.CHART.toString(), "--set", "enginee.image=x").stderr())
        .contains("additional properties 'enginee' not allowed");
  }

  @Test
  void deployDirectoryIsRenderedFromTheChart() {
    CommandRunner.run(List.of(Repository.path("hack/render-deploy").toString(), "--check"), Map.of(), Duration.ofMinutes(2)).assertSuccess();
  }

  @Test
  void theChartsServiceAccountCanRunTheOperatorAndNothingLessWould(TestNamespace namespace, ClusterAccess cluster) throws IOException {
    // --reset-values: an upgrade without values would otherwise keep those of a release an interrupted run left behind.
    helm.run("upgrade", "--install", RELEASE, Helm.CHART.toString(), "--namespace", RELEASE_NAMESPACE, "--create-namespace",
        "--reset-values", "--kubeconfig", cluster.kubeconfig().toString(), "--wait", "--timeout", "2m").assertSuccess();
    try {
      runOperatorAsTheChartsServiceAccount(namespace, cluster);
    } finally {
      // Gone again: its serial policy would stop the operators of other tests (they run as cluster admin), and its
      // cluster-scoped objects would keep a later install in another namespace (the end-to-end tests') from owning them.
      helm.run("uninstall", RELEASE, "--namespace", RELEASE_NAMESPACE, "--wait", "--timeout", "2m",
          "--kubeconfig", cluster.kubeconfig().toString()).assertSuccess();
    }
  }

  private void runOperatorAsTheChartsServiceAccount(TestNamespace namespace, ClusterAccess cluster) throws IOException {
    Path operatorKubeconfig = serviceAccountKubeconfig(cluster, namespace);
    namespace.client().configMaps().inNamespace(namespace.name())
        .resource(new ConfigMapBuilder().withNewMetadata().withName("app-data").endMetadata().withData(Map.of("k", "v")).build()).create();

    HostStandIn.ensureRunning(cluster.kubeconfig());
    try (OperatorProcess operator = OperatorProcess.start(operatorKubeconfig, RELEASE_NAMESPACE)) {
      Fixtures.create(namespace, "{apiVersion: erlmachine.io/v1alpha1, kind: Machine, metadata: {name: rbac-ok}, spec: {applicationData: {name: app-data}}}");
      Fixtures.create(namespace, "{apiVersion: erlmachine.io/v1alpha1, kind: Machine, metadata: {name: rbac-own-pod}, spec: {hosting: Dedicated}}");
      Machine ready = Fixtures.awaitReady(namespace, "rbac-ok");
      assertThat(ready.getStatus().serial()).isPositive();
      assertThat(ready.getStatus().host()).as("shared: the operator may run hosts, read their Leases and write EndpointSlices").isEqualTo("erlmachine-host-0");
      assertThat(cluster.client().rbac().roles().inNamespace(namespace.name()).withName("erlmachine-host").get())
          .as("the operator may give hosts their Role").isNotNull();
      assertThat(cluster.client().secrets().inNamespace(namespace.name()).withName("erlmachine-host-control").get())
          .as("the operator may make the hosts' control token").isNotNull();
      assertThat(Fixtures.awaitReady(namespace, "rbac-own-pod").getStatus().serial()).isPositive();
      Fixtures.create(namespace, "{apiVersion: erlmachine.io/v1alpha1, kind: Machine, metadata: {name: rbac-too-big}, spec: {resources: {requests: {memory: 64Gi}}}}");
      Fixtures.awaitMachine(namespace, "rbac-too-big", m -> Fixtures.condition(m, "Ready").map(c -> "TooBigForHost".equals(c.getReason())).orElse(false));
      assertThat(namespace.kubectl().output("get", "events", "-n", namespace.name(), "--field-selector", "involvedObject.name=rbac-too-big"))
          .as("the operator may record events").contains("TooBigForHost");
      assertThat(cluster.client().configMaps().inNamespace(RELEASE_NAMESPACE).withName("erlmachine-serial-counter").get()).isNotNull();
      assertThat(cluster.client().admissionRegistration().v1()
          .validatingAdmissionPolicies().withName(RELEASE + "-serials").get())
          .as("the serial policy is installed, and the operator's ServiceAccount labelled the machine through it").isNotNull();

      // The control: without one permission the operator cannot bring a machine up, and says why.
      ClusterRole role = cluster.client().rbac().clusterRoles().withName(RELEASE).get();
      ClusterRole reduced = new io.fabric8.kubernetes.api.model.rbac.ClusterRoleBuilder(role).withRules(
          role.getRules().stream().filter(rule -> !rule.getResources().contains("networkpolicies")).toList()).build();
      cluster.client().resource(reduced).update();
      Fixtures.create(namespace, "{apiVersion: erlmachine.io/v1alpha1, kind: Machine, metadata: {name: rbac-missing}, spec: {hosting: Dedicated}}");
      Machine stuck = Fixtures.awaitMachine(namespace, "rbac-missing",
          m -> Fixtures.condition(m, "Ready").map(c -> "ReconcileFailed".equals(c.getReason())).orElse(false));
      assertThat(Fixtures.condition(stuck, "Ready").orElseThrow().getMessage())
          .contains("network-policy", "forbidden", "networkpolicies");
      assertThat(namespace.kubectl().output("get", "events", "-n", namespace.name(), "--field-selector", "involvedObject.name=rbac-missing"))
          .contains("ReconcileFailed");
    }
  }

  /** A kubeconfig that authenticates as the chart's ServiceAccount, with a token from the TokenRequest API. */
  private static Path serviceAccountKubeconfig(ClusterAccess cluster, TestNamespace namespace) throws IOException {
    String token = cluster.kubectl().output("create", "token", RELEASE, "-n", RELEASE_NAMESPACE, "--duration=1h").strip();
    Path kubeconfig = Files.createTempFile("operator-sa", ".kubeconfig");
    Files.writeString(kubeconfig, Files.readString(cluster.kubeconfig()));
    var kubectl = new io.erlmachine.testkit.Kubectl(kubeconfig);
    kubectl.output("config", "set-credentials", "operator-sa", "--token=" + token);
    kubectl.output("config", "set-context", "--current", "--user=operator-sa");
    assertThat(kubectl.output("auth", "whoami", "-o", "jsonpath={.status.userInfo.username}"))
        .isEqualTo("system:serviceaccount:" + RELEASE_NAMESPACE + ":" + RELEASE);
    return kubeconfig;
  }

  private List<HasMetadata> render(String... extraArgs) {
    List<String> args = new ArrayList<>(List.of("template", RELEASE, Helm.CHART.toString(), "--namespace", RELEASE_NAMESPACE));
    args.addAll(List.of(extraArgs));
    String yaml = helm.run(args.toArray(String[]::new)).assertSuccess().stdout();
    return Stream.of(yaml.split("(?m)^---\\s*$")).map(String::strip).filter(doc -> doc.lines().anyMatch(l -> l.startsWith("kind:")))
        .map(doc -> (HasMetadata) Serialization.unmarshal(doc)).toList();
  }

  private static List<PolicyRule> rules(List<HasMetadata> objects) {
    List<PolicyRule> rules = new ArrayList<>();
    objects.forEach(o -> {
      if (o instanceof ClusterRole role) {
        rules.addAll(role.getRules());
      } else if (o instanceof Role role) {
        rules.addAll(role.getRules());
      }
    });
    return rules;
  }

  private static <T> T only(List<HasMetadata> objects, Class<T> type) {
    return objects.stream().filter(type::isInstance).map(type::cast).reduce((a, b) -> {
      throw new AssertionError("more than one " + type.getSimpleName());
    }).orElseThrow(() -> new AssertionError("no " + type.getSimpleName()));
  }
}
