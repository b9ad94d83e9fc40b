package io.erlmachine.api.v1alpha1.spec;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import com.fasterxml.jackson.databind.JsonNode;
import io.fabric8.generator.annotation.Max;
import io.fabric8.generator.annotation.Min;
import io.fabric8.generator.annotation.ValidationRule;
import java.util.Map;

/** The outcome a self-test expects; every field given must hold. An empty expectation means the gear handles the message without throwing. */
@JsonInclude(JsonInclude.Include.NON_NULL)
@ValidationRule(value = "!has(self.fails) || !self.fails || !has(self.messages)",
    message = "a self-test that expects the gear to fail cannot also expect a number of messages")
public record SelfTestExpectation(
    @JsonPropertyDescription("Number of messages the gear emits.")
    @Min(0) @Max(10000)
    Integer messages,
    @JsonPropertyDescription("A JSON object whose fields must all appear, with equal values, in the first emitted body.")
    Map<String, JsonNode> firstBodyContains,
    @JsonPropertyDescription("True when the gear is expected to throw.")
    Boolean fails) {
}
