package io.erlmachine.api.v1alpha1.spec;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.Size;

/** A gear on the source machine that receives undeliverable messages (they are also recorded). */
public record DeadLetterTarget(
    @JsonPropertyDescription("Gearbox of the dead-letter gear, on the source machine.")
    @Required @Size(max = 63) @Pattern(Names.DNS_LABEL)
    String gearbox,
    @JsonPropertyDescription("The dead-letter gear.")
    @Required @Size(max = 63) @Pattern(Names.DNS_LABEL)
    String gear) {
}
