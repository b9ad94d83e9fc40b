package io.erlmachine.api.v1alpha1.spec;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Size;
import io.fabric8.generator.annotation.ValidationRule;

/** An amount of CPU and memory. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record ResourceAmounts(
    @JsonPropertyDescription("CPU as a Kubernetes quantity, for example 100m or 1.")
    @ValidationRule(value = "isQuantity(self) && quantity(self).isGreaterThan(quantity('0'))", message = "cpu must be a positive Kubernetes quantity such as 100m or 1")
    @Size(max = 32)
    String cpu,
    @JsonPropertyDescription("Memory as a Kubernetes quantity, for example 128Mi or 1Gi.")
    @ValidationRule(value = "isQuantity(self) && quantity(self).compareTo(quantity('32Mi')) >= 0", message = "memory must be a Kubernetes quantity of at least 32Mi, such as 128Mi or 1Gi")
    @Size(max = 32)
    String memory) {
}
