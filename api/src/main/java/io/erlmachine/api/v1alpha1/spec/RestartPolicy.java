package io.erlmachine.api.v1alpha1.spec;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Default;
import io.fabric8.generator.annotation.Max;
import io.fabric8.generator.annotation.Min;
import io.fabric8.generator.annotation.Size;
import io.fabric8.generator.annotation.ValidationRule;

/** OTP-style restart intensity: at most maxRestarts crashes of one gear within window. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record RestartPolicy(
    @JsonPropertyDescription("Restarts allowed within the window before the gearbox is degraded.")
    @Default("5") @Min(0) @Max(1000)
    Integer maxRestarts,
    @JsonPropertyDescription("The sliding window, as a duration between 1s and 1h.")
    @Default("30s")
    @ValidationRule(value = "self.matches('" + Names.DURATION + "') && duration(self) >= duration('1s') && duration(self) <= duration('1h')",
        message = "restartPolicy.window must be a duration between 1s and 1h, such as 30s")
    @Size(max = 32)
    String window) {
}
