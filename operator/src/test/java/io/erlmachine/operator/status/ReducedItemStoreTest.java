package io.erlmachine.operator.status;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ReducedItemStoreTest {
  private final ReducedItemStore<ConfigMap> store = new ReducedItemStore<>(
      full -> new ConfigMapBuilder().withNewMetadata().withName(full.getMetadata().getName()).withNamespace(full.getMetadata().getNamespace())
          .withResourceVersion(full.getMetadata().getResourceVersion()).endMetadata().build());

  @Test
  void keepsWhatTheReductionLeavesUnderTheInformersKeyAndHandsItOutAsKept() {
    ConfigMap full = configMap("a", "1");
    String key = store.getKey(full);
    assertThat(key).isEqualTo("shop/a");

    assertThat(store.put(key, full)).as("nothing was there").isNull();
    ConfigMap kept = store.get(key);
    assertThat(kept.getMetadata().getName()).isEqualTo("a");
    assertThat(kept.getData()).as("reduced away").isNullOrEmpty();
    assertThat(store.get(key)).as("no copy per read").isSameAs(kept);
    assertThat(store.values()).containsExactly(kept);
    assertThat(store.keySet()).containsExactly("shop/a");
    assertThat(store.size()).isEqualTo(1);
    assertThat(store.isFullState()).isFalse();

    assertThat(store.put(key, configMap("a", "2"))).as("the previously kept object").isSameAs(kept);
    assertThat(store.remove(key).getMetadata().getResourceVersion()).isEqualTo("2");
    assertThat(store.size()).isZero();
    assertThat(store.get(key)).isNull();
  }

  private static ConfigMap configMap(String name, String resourceVersion) {
    return new ConfigMapBuilder().withNewMetadata().withName(name).withNamespace("shop").withResourceVersion(resourceVersion).endMetadata()
        .withData(Map.of("config.json", "{}")).build();
  }
}
