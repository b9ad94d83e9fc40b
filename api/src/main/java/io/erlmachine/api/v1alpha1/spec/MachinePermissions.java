package io.erlmachine.api.v1alpha1.spec;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Size;
import io.fabric8.generator.annotation.ValidationRule;
import java.util.List;

/** What a machine may reach and who may reach it; anything not listed is denied. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record MachinePermissions(
    @JsonPropertyDescription("Hosts that gear JavaScript may call over HTTP, as host or host:port; a leading '*.' matches any subdomain. Transmission targets are allowed without being listed.")
    @Size(max = 64)
    @ValidationRule(value = "self.all(h, h.matches('^(\\\\*\\\\.)?[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*(:[0-9]{1,5})?$'))",
        message = "each outboundHosts entry must be a lower-case host name, optionally with a leading '*.' and a ':port', such as api.example.com or *.svc.cluster.local:8080")
    List<String> outboundHosts,

    @JsonPropertyDescription("Sources allowed to send HTTP requests to the machine besides the operator, metrics scrapers and transmission sources.")
    @Size(max = 32)
    List<TrafficSource> inboundFrom) {
}
