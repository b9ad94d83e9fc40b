package io.erlmachine.api.v1alpha1.status;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;

/** A gearbox on one machine. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record GearboxPlacement(
    @JsonPropertyDescription("Name of the machine.")
    String machine,
    @JsonPropertyDescription("True when the machine's engine has loaded this gearbox.")
    Boolean loaded,
    @JsonPropertyDescription("Self-tests that passed on the machine.")
    Integer selfTestsPassed,
    @JsonPropertyDescription("Self-tests that failed on the machine.")
    Integer selfTestsFailed) {
}
