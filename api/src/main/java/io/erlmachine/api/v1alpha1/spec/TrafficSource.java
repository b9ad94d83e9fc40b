package io.erlmachine.api.v1alpha1.spec;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.ValidationRule;
import io.fabric8.kubernetes.api.model.LabelSelector;

/** Pods allowed to reach a machine: those matching podSelector in the namespaces matching namespaceSelector. */
@JsonInclude(JsonInclude.Include.NON_NULL)
@ValidationRule(value = "has(self.namespaceSelector) || has(self.podSelector)",
    message = "an inboundFrom entry needs a namespaceSelector, a podSelector or both")
public record TrafficSource(
    @JsonPropertyDescription("Namespaces whose pods may connect; leave out for the machine's own namespace.")
    LabelSelector namespaceSelector,
    @JsonPropertyDescription("Pods that may connect; leave out for every pod in the selected namespaces.")
    LabelSelector podSelector) {
}
