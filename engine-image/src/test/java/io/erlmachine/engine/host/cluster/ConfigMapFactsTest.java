package io.erlmachine.engine.host.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import io.erlmachine.api.host.HostContract;
import io.erlmachine.api.v1alpha1.ApiGroup;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import org.junit.jupiter.api.Test;

class ConfigMapFactsTest {

  @Test
  void theMachineLabelNamesTheMachineAndTheAnnotationGivesTheGeneration() {
    var facts = ConfigMapFacts.of(new ConfigMapBuilder().withNewMetadata().withName("orders-config")
        .addToLabels(ApiGroup.MACHINE_LABEL, "orders").addToLabels(ConfigMapFacts.INSTANCE_LABEL, "other")
        .addToLabels(ApiGroup.SERIAL_LABEL, "42").addToAnnotations(HostContract.GENERATION_ANNOTATION, "7").endMetadata().build());
    assertThat(facts).isEqualTo(new ConfigMapFacts("orders", 42, 7));
  }

  @Test
  void withoutLabelsTheNameWithoutItsSuffixNamesTheMachineAndNumbersAreZero() {
    var facts = ConfigMapFacts.of(new ConfigMapBuilder().withNewMetadata().withName("orders-config")
        .addToAnnotations(HostContract.GENERATION_ANNOTATION, "not a number").endMetadata().build());
    assertThat(facts).isEqualTo(new ConfigMapFacts("orders", 0, 0));
  }
}
