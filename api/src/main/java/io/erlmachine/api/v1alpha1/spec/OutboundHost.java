package io.erlmachine.api.v1alpha1.spec;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Max;
import io.fabric8.generator.annotation.Min;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.Size;

/** A host that gear JavaScript may call over HTTP. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record OutboundHost(
    @JsonPropertyDescription("Lower-case host name; a leading '*.' matches any subdomain, for example *.example.com.")
    @Required @Size(max = 253) @Pattern("^(\\*\\.)?[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$")
    String host,
    @JsonPropertyDescription("TCP port; leave out to allow 80 and 443.")
    @Min(1) @Max(65535)
    Integer port) {
}
