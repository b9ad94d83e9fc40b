package io.erlmachine.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** The test control plane is complete: the scheduler binds pods to kwok nodes and kwok runs them. */
@ExtendWith(KwokClusterExtension.class)
class ControlPlaneIT {

  @Test
  void podIsScheduledOntoAKwokNodeAndBecomesReady(TestNamespace namespace) {
    Pod pod = new PodBuilder()
        .withNewMetadata().withName("probe").withNamespace(namespace.name()).endMetadata()
        .withNewSpec().addNewContainer().withName("main").withImage("example.invalid/probe:1").endContainer().endSpec()
        .build();
    namespace.client().resource(pod).create();

    Pod ready = namespace.client().pods().inNamespace(namespace.name()).withName("probe")
        .waitUntilCondition(p -> p != null && p.getStatus() != null && p.getStatus().getConditions().stream()
            .anyMatch(c -> "Ready".equals(c.getType()) && "True".equals(c.getStatus())), 60, TimeUnit.SECONDS);

    assertThat(ready.getStatus().getPhase()).isEqualTo("Running");
    Node node = namespace.client().nodes().withName(ready.getSpec().getNodeName()).get();
    assertThat(node.getMetadata().getAnnotations()).containsKey("kwok.x-k8s.io/node");
  }

  @Test
  void garbageCollectorRemovesDependents(TestNamespace namespace) {
    var owner = namespace.client().configMaps().inNamespace(namespace.name()).resource(
        new io.fabric8.kubernetes.api.model.ConfigMapBuilder().withNewMetadata().withName("owner").endMetadata().build()).create();
    namespace.client().configMaps().inNamespace(namespace.name()).resource(
        new io.fabric8.kubernetes.api.model.ConfigMapBuilder().withNewMetadata().withName("dependent")
            .addNewOwnerReference().withApiVersion("v1").withKind("ConfigMap").withName("owner").withUid(owner.getMetadata().getUid()).endOwnerReference()
            .endMetadata().build()).create();

    namespace.client().configMaps().inNamespace(namespace.name()).withName("owner").delete();

    namespace.client().configMaps().inNamespace(namespace.name()).withName("dependent")
        .waitUntilCondition(java.util.Objects::isNull, 60, TimeUnit.SECONDS);
  }
}
