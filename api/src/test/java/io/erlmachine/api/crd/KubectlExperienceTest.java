package io.erlmachine.api.crd;

import static org.assertj.core.api.Assertions.assertThat;

import io.erlmachine.testkit.ApiServerExtension;
import io.erlmachine.testkit.Kubectl;
import io.erlmachine.testkit.Manifests;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** What a user sees with the real kubectl against a real API server. */
@ExtendWith(ApiServerExtension.class)
class KubectlExperienceTest {
  private static final String NAMESPACE = "kubectl-experience";

  @Test
  void getMachinesShowsSerialDnsHostPortPhaseReadyAndAge(KubernetesClient client, Kubectl kubectl) {
    kubectl.run("create", "namespace", NAMESPACE);
    GenericKubernetesResource machine = Manifests.parse(
        "{apiVersion: erlmachine.io/v1alpha1, kind: Machine, metadata: {name: alpha, namespace: " + NAMESPACE + "}, spec: {}}");
    GenericKubernetesResource created = client.resource(machine).create();
    created.setAdditionalProperty("status", Map.of(
        "serial", 1042, "dnsName", "alpha." + NAMESPACE + ".svc.cluster.local", "phase", "Running",
        "hosting", "Shared", "host", "erlmachine-host-0", "port", 20007,
        "conditions", List.of(Map.of("type", "Ready", "status", "True", "reason", "EngineReady", "message", "the engine is ready",
            "lastTransitionTime", "2026-01-01T00:00:00Z", "observedGeneration", 1))));
    client.resource(created).updateStatus();

    List<String> lines = kubectl.output("get", "machines", "-n", NAMESPACE).lines().toList();
    assertThat(lines.get(0).split("\\s+")).containsExactly("NAME", "SERIAL", "DNS", "HOST", "PORT", "PHASE", "READY", "AGE");
    assertThat(lines.get(1).split("\\s+")).startsWith("alpha", "1042", "alpha." + NAMESPACE + ".svc.cluster.local",
        "erlmachine-host-0", "20007", "Running", "True");
    assertThat(kubectl.output("get", "mach", "-n", NAMESPACE)).contains("alpha");
  }

  @Test
  void getErlmachineListsEveryKind(KubernetesClient client, Kubectl kubectl) {
    String namespace = "category";
    kubectl.run("create", "namespace", namespace);
    for (String manifest : List.of(
        "{apiVersion: erlmachine.io/v1alpha1, kind: Machine, metadata: {name: m1}, spec: {}}",
        "{apiVersion: erlmachine.io/v1alpha1, kind: Gearbox, metadata: {name: g1}, spec: {gears: [{name: a, prototype: log}]}}",
        "{apiVersion: erlmachine.io/v1alpha1, kind: Transmission, metadata: {name: t1}, spec: {pattern: Pipeline, from: {machine: m1, gearbox: g1, gear: a}, to: [{machine: m2, gearbox: g1, gear: a}]}}")) {
      client.resource(Manifests.parse(manifest)).inNamespace(namespace).create();
    }
    String output = kubectl.output("get", "erlmachine", "-n", namespace);
    assertThat(output).contains("machine.erlmachine.io/m1", "gearbox.erlmachine.io/g1", "transmission.erlmachine.io/t1");
    assertThat(kubectl.output("get", "gbx,tmx", "-n", namespace)).contains("g1", "t1", "Pipeline");
  }

  @Test
  void explainDescribesEveryField(Kubectl kubectl) {
    String spec = kubectl.output("explain", "machine.spec");
    assertThat(spec).contains("What a machine is", "gearboxSelector", "clutch", "resources", "limits", "permissions", "applicationData", "hosting");
    assertThat(kubectl.output("explain", "machine.spec.limits.messageTimeout"))
        .contains("Wall-clock time one gear may spend on one message");
    assertThat(kubectl.output("explain", "gearbox.spec.gears.prototype")).contains("js runs the given JavaScript module");
    assertThat(kubectl.output("explain", "transmission.spec.delivery")).contains("Retries, timeout and dead-lettering");
    assertThat(kubectl.output("explain", "machine.status.serial")).contains("never reused");
  }
}
