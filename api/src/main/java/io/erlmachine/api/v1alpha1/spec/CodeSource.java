package io.erlmachine.api.v1alpha1.spec;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Size;
import io.fabric8.generator.annotation.ValidationRule;

/** JavaScript code, written inline or kept in a ConfigMap. */
@JsonInclude(JsonInclude.Include.NON_NULL)
@ValidationRule(value = "has(self.inline) != has(self.configMapKeyRef)",
    message = "a source takes exactly one of inline or configMapKeyRef")
public record CodeSource(
    @JsonPropertyDescription("The JavaScript source itself.")
    @Size(min = 1, max = 262144)
    String inline,
    @JsonPropertyDescription("A key of a ConfigMap in the same namespace that holds the JavaScript source.")
    ConfigMapKeyRef configMapKeyRef) {
}
