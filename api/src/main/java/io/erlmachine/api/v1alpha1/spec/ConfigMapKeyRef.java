package io.erlmachine.api.v1alpha1.spec;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.Size;

/** One key of a ConfigMap in the same namespace. */
public record ConfigMapKeyRef(
    @JsonPropertyDescription("Name of the ConfigMap.")
    @Required @Size(max = 253) @Pattern(Names.DNS_SUBDOMAIN)
    String name,
    @JsonPropertyDescription("Key within the ConfigMap.")
    @Required @Size(max = 253) @Pattern(Names.CONFIG_MAP_KEY)
    String key) {
}
