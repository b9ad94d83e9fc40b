package io.erlmachine.api.v1alpha1.spec;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.Size;

/** A link inside a gearbox: every message the from gear emits is delivered to the to gear. */
public record Shaft(
    @JsonPropertyDescription("Name of the gear whose output the shaft carries.")
    @Required @Size(max = 63) @Pattern(Names.DNS_LABEL)
    String from,
    @JsonPropertyDescription("Name of the gear that receives it.")
    @Required @Size(max = 63) @Pattern(Names.DNS_LABEL)
    String to) {
}
