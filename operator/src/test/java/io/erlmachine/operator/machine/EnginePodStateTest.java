package io.erlmachine.operator.machine;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.client.informers.cache.ItemStore;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import java.util.Map;
import org.junit.jupiter.api.Test;

class EnginePodStateTest {
  private final ItemStore<Pod> store = EnginePodState.store(new KubernetesSerialization());

  @Test
  void keepsTheNodeAPodWasScheduledToButNotTheRestOfItsSpec() {
    Pod pod = hostPod();
    store.put(store.getKey(pod), pod);

    Pod kept = store.get("shop/host-0-0");
    assertThat(kept.getSpec().getNodeName()).as("an EndpointSlice endpoint names it").isEqualTo("kwok-node-1");
    assertThat(kept.getSpec().getContainers()).as("the rest of the spec is not kept").isNullOrEmpty();
    assertThat(kept.getStatus().getPodIP()).isEqualTo("10.0.0.7");
    assertThat(kept.getMetadata().getLabels()).containsEntry("app.kubernetes.io/component", "engine-host");
  }

  private static Pod hostPod() {
    return new PodBuilder()
        .withNewMetadata().withName("host-0-0").withNamespace("shop").withUid("u1").withResourceVersion("7")
        .withLabels(Map.of("app.kubernetes.io/component", "engine-host")).endMetadata()
        .withNewSpec().withNodeName("kwok-node-1").addNewContainer().withName("engine").withImage("engine:1").endContainer().endSpec()
        .withNewStatus().withPodIP("10.0.0.7").endStatus()
        .build();
  }
}
