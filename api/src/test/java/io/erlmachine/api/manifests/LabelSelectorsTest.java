package io.erlmachine.api.manifests;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.LabelSelector;
import io.fabric8.kubernetes.api.model.LabelSelectorBuilder;
import java.util.Map;
import org.junit.jupiter.api.Test;

class LabelSelectorsTest {

  @Test
  void followsKubernetesSemantics() {
    Map<String, String> labels = Map.of("stage", "intake", "tier", "gold");
    assertThat(LabelSelectors.matches(null, labels)).isFalse();
    assertThat(LabelSelectors.matches(new LabelSelector(), labels)).isTrue();
    assertThat(LabelSelectors.matches(new LabelSelectorBuilder().addToMatchLabels("stage", "intake").build(), labels)).isTrue();
    assertThat(LabelSelectors.matches(new LabelSelectorBuilder().addToMatchLabels("stage", "archive").build(), labels)).isFalse();
    assertThat(LabelSelectors.matches(new LabelSelectorBuilder().addNewMatchExpression().withKey("tier").withOperator("In")
        .withValues("gold", "silver").endMatchExpression().build(), labels)).isTrue();
    assertThat(LabelSelectors.matches(new LabelSelectorBuilder().addNewMatchExpression().withKey("tier").withOperator("NotIn")
        .withValues("gold").endMatchExpression().build(), labels)).isFalse();
    assertThat(LabelSelectors.matches(new LabelSelectorBuilder().addNewMatchExpression().withKey("zone").withOperator("DoesNotExist")
        .endMatchExpression().build(), labels)).isTrue();
    assertThat(LabelSelectors.matches(new LabelSelectorBuilder().addNewMatchExpression().withKey("zone").withOperator("Exists")
        .endMatchExpression().build(), labels)).isFalse();
  }
}
