package io.erlmachine.api.v1alpha1.spec;

import com.fasterxml.jackson.annotation.JsonClassDescription;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Default;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.Size;
import io.fabric8.generator.annotation.ValidationRule;
import java.util.List;

/** Carries the messages a gear emits to gears of other gearboxes, on the same or other machines. */
@JsonClassDescription("Where messages come from, where they go, by which pattern, and how hard delivery tries.")
@JsonInclude(JsonInclude.Include.NON_NULL)
@ValidationRule(value = "self.pattern != 'RequestReply' || size(self.to) == 1",
    message = "a RequestReply transmission has exactly one to endpoint (it may select several machines, which share the load)")
public record TransmissionSpec(
    @JsonPropertyDescription("PubSub delivers every message to every target; Pipeline delivers each message to one target, balanced; RequestReply returns the target's reply to the sending gear.")
    @Required
    TransmissionPattern pattern,

    @JsonPropertyDescription("The gear whose output the transmission carries, on the machines selected.")
    @Required
    Endpoint from,

    @JsonPropertyDescription("The gears that receive the messages.")
    @Required @Size(min = 1, max = 64)
    List<Endpoint> to,

    @JsonPropertyDescription("Retries, timeout and dead-lettering of messages that cannot be delivered.")
    DeliveryPolicy delivery,

    @JsonPropertyDescription("Engaged carries messages; Disengaged holds them at the sender until engaged again.")
    @Default("Engaged")
    Clutch clutch) {
}
