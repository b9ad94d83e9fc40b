package io.erlmachine.api.v1alpha1.spec;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Size;
import java.util.List;

/** What a machine may reach and who may reach it; anything not listed is denied. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record MachinePermissions(
    @JsonPropertyDescription("Hosts that gear JavaScript may call over HTTP. Transmission targets are allowed without being listed.")
    @Size(max = 64)
    List<OutboundHost> outboundHosts,

    @JsonPropertyDescription("Sources allowed to send HTTP requests to the machine besides the operator, metrics scrapers and transmission sources.")
    @Size(max = 32)
    List<TrafficSource> inboundFrom) {
}
