package io.erlmachine.operator.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.erlmachine.api.v1alpha1.ApiGroup;
import io.erlmachine.api.v1alpha1.Machine;
import io.erlmachine.testkit.CommandRunner;
import io.erlmachine.testkit.KwokClusterExtension;
import io.erlmachine.testkit.KwokClusterExtension.ClusterAccess;
import io.erlmachine.testkit.TestNamespace;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The chart's ValidatingAdmissionPolicy against the real API server, with impersonation: a
 * user (and even a cluster admin) cannot set or change a Machine's serial label or its status
 * serial once set; the operator's ServiceAccount can. Bound to the test's namespace only (the
 * chart does that when watchNamespaces is set), so operators of other tests are not affected.
 */
@ExtendWith(KwokClusterExtension.class)
class SerialAdmissionPolicyIT {
  private static final String RELEASE_NAMESPACE = "erlmachine-policy";
  private static final String USER = "alice";
  private static final String ADVICE = "drop the erlmachine.io/serial label from a copied manifest; the operator assigns serial numbers";
  private final Helm helm = new Helm();
  private TestNamespace namespace;
  private String policyFile;
  private String operator;

  @BeforeEach
  void installPolicy(TestNamespace namespace, ClusterAccess cluster) {
    this.namespace = namespace;
    String release = "p" + Integer.toHexString(namespace.name().hashCode());
    operator = "system:serviceaccount:" + RELEASE_NAMESPACE + ":" + release + "-erlmachine";
    String policy = helm.run("template", release, Helm.CHART.toString(), "--namespace", RELEASE_NAMESPACE,
        "--set", "watchNamespaces={" + namespace.name() + "}", "--show-only", "templates/admission/serial-policy.yaml").assertSuccess().stdout();
    assertThat(policy).contains("kind: ValidatingAdmissionPolicy\n", "kind: ValidatingAdmissionPolicyBinding", operator);
    policyFile = Fixtures.write(namespace, "policy", policy);
    cluster.kubectl().output("apply", "-f", policyFile);
    namespace.kubectl().output("apply", "-n", namespace.name(), "-f", Fixtures.write(namespace, "rbac", """
        apiVersion: rbac.authorization.k8s.io/v1
        kind: Role
        metadata: {name: machine-editor}
        rules:
          - apiGroups: [erlmachine.io]
            resources: [machines]
            verbs: [get, list, create, update, patch]
          - apiGroups: [erlmachine.io]
            resources: [machines/status]
            verbs: [get, update, patch]
        ---
        apiVersion: rbac.authorization.k8s.io/v1
        kind: RoleBinding
        metadata: {name: machine-editors}
        roleRef: {apiGroup: rbac.authorization.k8s.io, kind: Role, name: machine-editor}
        subjects:
          - {apiGroup: rbac.authorization.k8s.io, kind: User, name: alice}
          - {kind: ServiceAccount, namespace: %s, name: %s}
        """.formatted(RELEASE_NAMESPACE, operator.substring(operator.lastIndexOf(':') + 1))));
    // A new policy takes a moment to reach the API server's admission plugin.
    await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(500))
        .until(() -> as(USER, "create", "--dry-run=server", "-f", manifest("probe", "1")).stderr().contains(ADVICE));
  }

  @AfterEach
  void removePolicy(ClusterAccess cluster) {
    cluster.kubectl().run("delete", "-f", policyFile, "--ignore-not-found");
  }

  @Test
  void nobodyButTheOperatorCreatesAMachineWithASerialLabel() {
    CommandRunner.Result byUser = as(USER, "apply", "-f", manifest("copied", "5"));
    assertThat(byUser.exitCode()).isNotZero();
    assertThat(byUser.stderr()).contains("ValidatingAdmissionPolicy", "the erlmachine.io/serial label is set only by the erlmachine operator", ADVICE);
    CommandRunner.Result byAdmin = namespace.kubectl().run("apply", "-n", namespace.name(), "-f", manifest("copied", "5"));
    assertThat(byAdmin.exitCode()).as("not even a cluster admin").isNotZero();
    assertThat(byAdmin.stderr()).contains(ADVICE);
    assertThat(namespace.client().resources(Machine.class).inNamespace(namespace.name()).withName("copied").get()).isNull();

    assertThat(as(USER, "apply", "-f", manifest("fresh", null)).exitCode()).as("without the label").isZero();
  }

  @Test
  void onlyTheOperatorChangesTheLabelWhileUsersStillEditTheMachine() {
    as(USER, "create", "-f", manifest("edited", null)).assertSuccess();
    as(operator, "label", "machine", "edited", ApiGroup.SERIAL_LABEL + "=42").assertSuccess();

    CommandRunner.Result changed = as(USER, "label", "machine", "edited", "--overwrite", ApiGroup.SERIAL_LABEL + "=43");
    assertThat(changed.exitCode()).isNotZero();
    assertThat(changed.stderr()).contains("shows this Machine's serial number 42, assigned by the erlmachine operator; it cannot be changed or removed");
    CommandRunner.Result removed = as(USER, "patch", "machine", "edited", "--type=json",
        "-p", "[{\"op\":\"remove\",\"path\":\"/metadata/labels/erlmachine.io~1serial\"}]");
    assertThat(removed.exitCode()).as("removing it").isNotZero();
    assertThat(removed.stderr()).contains("cannot be changed or removed");

    as(USER, "patch", "machine", "edited", "--type=merge", "-p", "{\"spec\":{\"clutch\":\"Disengaged\"},\"metadata\":{\"labels\":{\"team\":\"a\"}}}")
        .assertSuccess();
    as(USER, "apply", "--server-side", "-f", manifest("edited", null)).assertSuccess();
    assertThat(namespace.client().resources(Machine.class).inNamespace(namespace.name()).withName("edited").get().getMetadata().getLabels())
        .containsEntry(ApiGroup.SERIAL_LABEL, "42").containsEntry("team", "a");
  }

  @Test
  void statusSerialCannotBeChangedOnceSetExceptByTheOperator() {
    as(USER, "create", "-f", manifest("counted", null)).assertSuccess();
    as(operator, "patch", "machine", "counted", "--subresource=status", "--type=merge", "-p", "{\"status\":{\"serial\":42}}").assertSuccess();

    CommandRunner.Result byUser = as(USER, "patch", "machine", "counted", "--subresource=status", "--type=merge", "-p", "{\"status\":{\"serial\":43}}");
    assertThat(byUser.exitCode()).isNotZero();
    assertThat(byUser.stderr()).contains("status.serial is the serial number the erlmachine operator assigned to this Machine", "cannot be changed once set");
    assertThat(namespace.kubectl().run("patch", "machine", "counted", "-n", namespace.name(), "--subresource=status", "--type=merge",
        "-p", "{\"status\":{\"serial\":null}}").exitCode()).as("not even a cluster admin may remove it").isNotZero();
    as(USER, "patch", "machine", "counted", "--subresource=status", "--type=merge", "-p", "{\"status\":{\"phase\":\"Pending\"}}")
        .assertSuccess();

    as(operator, "patch", "machine", "counted", "--subresource=status", "--type=merge", "-p", "{\"status\":{\"serial\":44}}").assertSuccess();
    assertThat(namespace.client().resources(Machine.class).inNamespace(namespace.name()).withName("counted").get().getStatus().serial()).isEqualTo(44);
  }

  private CommandRunner.Result as(String user, String... args) {
    List<String> command = new ArrayList<>(List.of("--as=" + user, "-n", namespace.name()));
    command.addAll(List.of(args));
    return namespace.kubectl().run(command.toArray(String[]::new));
  }

  private String manifest(String name, String serialLabel) {
    String labels = serialLabel == null ? "" : "\n  labels:\n    " + ApiGroup.SERIAL_LABEL + ": \"" + serialLabel + "\"";
    return Fixtures.write(namespace, name, """
        apiVersion: erlmachine.io/v1alpha1
        kind: Machine
        metadata:
          name: %s%s
        spec: {}
        """.formatted(name, labels));
  }
}
