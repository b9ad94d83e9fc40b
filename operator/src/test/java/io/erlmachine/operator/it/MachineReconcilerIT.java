package io.erlmachine.operator.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.erlmachine.api.v1alpha1.ApiGroup;
import io.erlmachine.api.v1alpha1.Machine;
import io.erlmachine.api.v1alpha1.status.MachinePhase;
import io.erlmachine.testkit.TestNamespace;
import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServiceAccount;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicy;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The Machine reconciler against a real control plane: pods run on kwok nodes, garbage collection is the real one. */
class MachineReconcilerIT extends WithRunningOperator {
  @Test
  void appliedMachineGetsARunningEngineASerialAndADnsName(TestNamespace namespace) {
    namespace.kubectl().output("apply", "-n", namespace.name(), "--filename=" + Fixtures.write(namespace, "alpha", """
        apiVersion: erlmachine.io/v1alpha1
        kind: Machine
        metadata:
          name: alpha
        spec:
          hosting: Dedicated
          resources:
            requests: {cpu: 100m, memory: 64Mi}
            limits: {memory: 128Mi}
        """));

    Machine ready = Fixtures.awaitReady(namespace, "alpha");

    long serial = ready.getStatus().serial();
    assertThat(serial).isPositive();
    assertThat(ready.getMetadata().getLabels()).containsEntry(ApiGroup.SERIAL_LABEL, Long.toString(serial));
    assertThat(ready.getStatus().dnsName()).isEqualTo("alpha." + namespace.name() + ".svc.cluster.local");
    assertThat(ready.getStatus().phase()).isEqualTo(MachinePhase.Running);
    assertThat(ready.getStatus().observedGeneration()).isEqualTo(ready.getMetadata().getGeneration());

    KubernetesClient client = namespace.client();
    Pod pod = client.pods().inNamespace(namespace.name()).withName("alpha-0").get();
    assertThat(pod.getMetadata().getLabels()).containsEntry(ApiGroup.SERIAL_LABEL, Long.toString(serial)).containsEntry(ApiGroup.MACHINE_LABEL, "alpha");
    assertThat(pod.getSpec().getNodeName()).startsWith("node-");
    Service service = client.services().inNamespace(namespace.name()).withName("alpha").get();
    assertThat(pod.getMetadata().getLabels()).containsAllEntriesOf(service.getSpec().getSelector());
    assertThat(pod.getSpec().getContainers().get(0).getResources().getRequests()).containsKeys("cpu", "memory");
    assertThat(pod.getSpec().getContainers().get(0).getResources().getLimits().get("memory").toString()).isEqualTo("128Mi");

    ServiceAccount account = client.serviceAccounts().inNamespace(namespace.name()).withName("alpha-engine").get();
    assertThat(account.getAutomountServiceAccountToken()).isFalse();
    assertThat(pod.getSpec().getAutomountServiceAccountToken()).isFalse();
    NetworkPolicy policy = client.network().networkPolicies().inNamespace(namespace.name()).withName("alpha").get();
    assertThat(policy.getSpec().getPolicyTypes()).containsExactlyInAnyOrder("Ingress", "Egress");
    assertThat(client.configMaps().inNamespace(namespace.name()).withName("alpha-config").get().getData().get("machine.yaml"))
        .contains("serial: " + serial, "dnsName: alpha." + namespace.name() + ".svc.cluster.local");

    assertThat(namespace.kubectl().output("get", "events", "-n", namespace.name(), "--field-selector", "involvedObject.name=alpha"))
        .as("a serial assigned and becoming Ready are routine: status shows them, no event is an object per machine")
        .doesNotContain("SerialAssigned", "EngineReady");
  }

  @Test
  void reconciliationMetricsArePerControllerNotPerMachine(TestNamespace namespace) throws Exception {
    Fixtures.create(namespace, "{apiVersion: erlmachine.io/v1alpha1, kind: Machine, metadata: {name: counted}, spec: {}}");
    Fixtures.awaitReady(namespace, "counted");

    String metrics = operator().get("/q/metrics");
    assertThat(metrics.lines().filter(line -> line.startsWith("operator_sdk_controllers_execution_reconcile_success_total{controller=\"machine\""))
        .toList()).as("reconciliation counters of the machine controller").isNotEmpty();
    assertThat(metrics).as("no series per Machine").doesNotContain("\"counted\"");
  }

  @Test
  void enginePodsPassTheRestrictedPodSecurityProfile(TestNamespace namespace) {
    namespace.kubectl().output("label", "namespace", namespace.name(),
        "pod-security.kubernetes.io/enforce=restricted", "pod-security.kubernetes.io/enforce-version=latest");
    Fixtures.create(namespace, "{apiVersion: erlmachine.io/v1alpha1, kind: Machine, metadata: {name: strict}, spec: {hosting: Dedicated}}");

    Fixtures.awaitReady(namespace, "strict");

    var container = namespace.client().pods().inNamespace(namespace.name()).withName("strict-0").get().getSpec().getContainers().get(0);
    assertThat(container.getSecurityContext().getReadOnlyRootFilesystem()).isTrue();
    // The control: the namespace really enforces the profile, so a default pod is refused.
    assertThatThrownBy(() -> namespace.client().pods().inNamespace(namespace.name()).resource(new PodBuilder()
        .withNewMetadata().withName("lax").endMetadata()
        .withNewSpec().addNewContainer().withName("main").withImage("example.invalid/lax:1").endContainer().endSpec().build()).create())
        .isInstanceOf(KubernetesClientException.class)
        .hasMessageContaining("violates PodSecurity \"restricted:latest\"");
  }

  @Test
  void specChangeRollsOutANewPod(TestNamespace namespace) {
    Fixtures.create(namespace, "{apiVersion: erlmachine.io/v1alpha1, kind: Machine, metadata: {name: beta}, spec: {hosting: Dedicated, resources: {limits: {memory: 200Mi}}}}");
    Machine first = Fixtures.awaitReady(namespace, "beta");
    String firstPodUid = namespace.client().pods().inNamespace(namespace.name()).withName("beta-0").get().getMetadata().getUid();

    namespace.kubectl().output("patch", "machine", "beta", "-n", namespace.name(), "--type", "merge", "-p", "{\"spec\":{\"resources\":{\"limits\":{\"memory\":\"300Mi\"}}}}");

    await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> {
      Pod pod = namespace.client().pods().inNamespace(namespace.name()).withName("beta-0").get();
      assertThat(pod).isNotNull();
      assertThat(pod.getMetadata().getUid()).isNotEqualTo(firstPodUid);
      assertThat(pod.getSpec().getContainers().get(0).getResources().getLimits().get("memory").toString()).isEqualTo("300Mi");
    });
    Machine rolledOut = Fixtures.awaitReady(namespace, "beta");
    assertThat(rolledOut.getStatus().observedGeneration()).isEqualTo(first.getMetadata().getGeneration() + 1);
    assertThat(rolledOut.getStatus().serial()).as("the serial survives a rollout").isEqualTo(first.getStatus().serial());
  }

  @Test
  void deletingAMachineRemovesEverythingItOwned(TestNamespace namespace) {
    Fixtures.create(namespace, "{apiVersion: erlmachine.io/v1alpha1, kind: Machine, metadata: {name: gamma}, spec: {hosting: Dedicated}}");
    Fixtures.awaitReady(namespace, "gamma");

    namespace.client().resources(Machine.class).inNamespace(namespace.name()).withName("gamma").delete();

    KubernetesClient client = namespace.client();
    await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> {
      assertThat(client.apps().statefulSets().inNamespace(namespace.name()).withName("gamma").get()).isNull();
      assertThat(client.services().inNamespace(namespace.name()).withName("gamma").get()).isNull();
      assertThat(client.configMaps().inNamespace(namespace.name()).withName("gamma-config").get()).isNull();
      assertThat(client.network().networkPolicies().inNamespace(namespace.name()).withName("gamma").get()).isNull();
      assertThat(client.serviceAccounts().inNamespace(namespace.name()).withName("gamma-engine").get()).isNull();
      assertThat(client.pods().inNamespace(namespace.name()).withName("gamma-0").get()).isNull();
    });
  }

  @Test
  void missingApplicationDataIsReportedAndDoesNotDisturbOtherMachines(TestNamespace namespace) {
    Fixtures.create(namespace, "{apiVersion: erlmachine.io/v1alpha1, kind: Machine, metadata: {name: broken}, spec: {applicationData: {name: settings}}}");
    Fixtures.create(namespace, "{apiVersion: erlmachine.io/v1alpha1, kind: Machine, metadata: {name: healthy}, spec: {}}");

    Fixtures.awaitReady(namespace, "healthy");
    Machine broken = Fixtures.awaitMachine(namespace, "broken", m -> Fixtures.condition(m, "Ready").map(c -> "ApplicationDataNotFound".equals(c.getReason())).orElse(false));
    Condition ready = Fixtures.condition(broken, "Ready").orElseThrow();
    assertThat(ready.getStatus()).isEqualTo("False");
    assertThat(ready.getMessage()).contains("ConfigMap settings", "does not exist", "create it, or remove spec.applicationData");
    assertThat(Fixtures.condition(broken, "Degraded").orElseThrow().getStatus()).isEqualTo("True");
    assertThat(broken.getStatus().phase()).isEqualTo(MachinePhase.Failed);
    assertThat(namespace.client().apps().statefulSets().inNamespace(namespace.name()).withName("broken").get()).isNull();

    namespace.client().configMaps().inNamespace(namespace.name())
        .resource(new ConfigMapBuilder().withNewMetadata().withName("settings").endMetadata().withData(Map.of("region", "eu")).build()).create();

    Fixtures.awaitReady(namespace, "broken");
    assertThat(namespace.client().configMaps().inNamespace(namespace.name()).withName("broken-config").get().getData().get("machine.yaml"))
        .contains("region: eu");
  }

  @Test
  void impossibleResourceRequestsAreReportedAsUnschedulable(TestNamespace namespace) {
    Fixtures.create(namespace, "{apiVersion: erlmachine.io/v1alpha1, kind: Machine, metadata: {name: giant}, spec: {hosting: Dedicated, resources: {requests: {cpu: '5000'}}}}");

    Machine giant = Fixtures.awaitMachine(namespace, "giant", m -> Fixtures.condition(m, "Ready").map(c -> "Unschedulable".equals(c.getReason())).orElse(false));

    assertThat(Fixtures.condition(giant, "Ready").orElseThrow().getMessage())
        .contains("cannot be scheduled", "Insufficient cpu", "lower spec.resources.requests");
    assertThat(Fixtures.condition(giant, "Degraded").map(Condition::getStatus)).isEqualTo(Optional.of("True"));
  }
}
