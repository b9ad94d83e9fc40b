package io.erlmachine.api.v1alpha1.spec;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import com.fasterxml.jackson.databind.JsonNode;
import io.fabric8.generator.annotation.Max;
import io.fabric8.generator.annotation.Min;
import io.fabric8.generator.annotation.ValidationRule;

/** The outcome a self-test expects; every field given must hold. */
@JsonInclude(JsonInclude.Include.NON_NULL)
@ValidationRule(value = "has(self.messages) || has(self.firstBodyContains) || has(self.fails)",
    message = "a self-test expectation needs at least one of messages, firstBodyContains or fails")
@ValidationRule(value = "!has(self.fails) || !self.fails || (!has(self.messages) && !has(self.firstBodyContains))",
    message = "a self-test that expects the gear to fail cannot also expect output messages")
public record SelfTestExpectation(
    @JsonPropertyDescription("Number of messages the gear emits.")
    @Min(0) @Max(10000)
    Integer messages,
    @JsonPropertyDescription("A JSON object whose fields must all appear, with equal values, in the first emitted body.")
    JsonNode firstBodyContains,
    @JsonPropertyDescription("True when the gear is expected to throw.")
    Boolean fails) {
}
