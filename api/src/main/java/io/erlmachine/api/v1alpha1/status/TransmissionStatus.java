package io.erlmachine.api.v1alpha1.status;

import com.fasterxml.jackson.annotation.JsonClassDescription;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.kubernetes.api.model.Condition;
import java.util.List;

/** The routes a transmission resolved to. */
@JsonClassDescription("The routes a transmission resolved to.")
@JsonInclude(JsonInclude.Include.NON_NULL)
public record TransmissionStatus(
    @JsonPropertyDescription("The metadata.generation this status describes.")
    Long observedGeneration,
    @JsonPropertyDescription("A one-word summary: Pending, Resolved or Unresolved.")
    TransmissionPhase phase,
    @JsonPropertyDescription("Number of source-to-target machine pairs.")
    Integer routeCount,
    @JsonPropertyDescription("Each source machine with the target machines and DNS names it delivers to.")
    List<ResolvedRoute> routes,
    @JsonPropertyDescription("Ready and Resolved, each with a reason and a message.")
    List<Condition> conditions) {
}
