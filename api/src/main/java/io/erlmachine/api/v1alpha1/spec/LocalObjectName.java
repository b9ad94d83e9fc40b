package io.erlmachine.api.v1alpha1.spec;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Required;

/** A reference to an object in the same namespace. */
public record LocalObjectName(
    @JsonPropertyDescription("Name of the object in the same namespace.")
    @Required @Pattern(Names.DNS_SUBDOMAIN)
    String name) {
}
