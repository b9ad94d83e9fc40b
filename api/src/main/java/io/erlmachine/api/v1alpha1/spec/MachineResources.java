package io.erlmachine.api.v1alpha1.spec;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.ValidationRule;

/** CPU and memory for the engine container, in Kubernetes quantities. */
@JsonInclude(JsonInclude.Include.NON_NULL)
@ValidationRule(value = "!has(self.requests) || !has(self.limits) || !has(self.requests.memory) || !has(self.limits.memory) || quantity(self.requests.memory).compareTo(quantity(self.limits.memory)) <= 0",
    message = "resources.requests.memory must not exceed resources.limits.memory")
@ValidationRule(value = "!has(self.requests) || !has(self.limits) || !has(self.requests.cpu) || !has(self.limits.cpu) || quantity(self.requests.cpu).compareTo(quantity(self.limits.cpu)) <= 0",
    message = "resources.requests.cpu must not exceed resources.limits.cpu")
public record MachineResources(
    @JsonPropertyDescription("Guaranteed CPU and memory; the scheduler places the machine where they fit.")
    ResourceAmounts requests,
    @JsonPropertyDescription("Upper bounds; the memory limit is the last line of defence against a runaway gear.")
    ResourceAmounts limits) {
}
