package io.erlmachine.api.v1alpha1.spec;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.Size;

/** A JavaScript library module that gears import by name. */
public record Tool(
    @JsonPropertyDescription("Module name gears use in import statements.")
    @Required @Size(max = 63) @Pattern(Names.DNS_LABEL)
    String name,
    @JsonPropertyDescription("The module's JavaScript source.")
    @Required
    CodeSource source) {
}
