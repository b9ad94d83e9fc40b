package io.erlmachine.api.v1alpha1.status;

import com.fasterxml.jackson.annotation.JsonClassDescription;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.kubernetes.api.model.Condition;
import java.util.List;

/** Where a gearbox stands on each machine it is placed on. */
@JsonClassDescription("Where a gearbox stands on each machine it is placed on.")
@JsonInclude(JsonInclude.Include.NON_NULL)
public record GearboxStatus(
    @JsonPropertyDescription("The metadata.generation this status describes.")
    Long observedGeneration,
    @JsonPropertyDescription("A one-word summary: Pending, Placed, Running, Degraded or Invalid.")
    GearboxPhase phase,
    @JsonPropertyDescription("Number of gears in the gearbox.")
    Integer gearCount,
    @JsonPropertyDescription("Number of machines the gearbox is placed on.")
    Integer machineCount,
    @JsonPropertyDescription("The gearbox on each machine that selects it.")
    List<GearboxPlacement> placements,
    @JsonPropertyDescription("Ready, Valid and Degraded, each with a reason and a message.")
    List<Condition> conditions) {
}
