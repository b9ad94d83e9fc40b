package io.erlmachine.api.v1alpha1.spec;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import com.fasterxml.jackson.databind.JsonNode;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.Size;
import java.util.Map;

/** A test case: a message sent to a gear in a fresh context and what must come out. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record SelfTest(
    @JsonPropertyDescription("Name of the test, unique within the gearbox.")
    @Required @Size(max = 63) @Pattern(Names.DNS_LABEL)
    String name,
    @JsonPropertyDescription("Gear the input message is sent to.")
    @Required @Size(max = 63) @Pattern(Names.DNS_LABEL)
    String gear,
    @JsonPropertyDescription("Body of the input message (any JSON value).")
    JsonNode input,
    @JsonPropertyDescription("Headers of the input message.")
    Map<String, String> headers,
    @JsonPropertyDescription("What the gear must produce.")
    @Required
    SelfTestExpectation expect) {
}
