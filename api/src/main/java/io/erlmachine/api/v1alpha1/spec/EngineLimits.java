package io.erlmachine.api.v1alpha1.spec;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Default;
import io.fabric8.generator.annotation.Max;
import io.fabric8.generator.annotation.Min;
import io.fabric8.generator.annotation.Size;
import io.fabric8.generator.annotation.ValidationRule;

/** Limits the engine enforces on every gear of the machine. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record EngineLimits(
    @JsonPropertyDescription("Messages a gear's mailbox holds before senders are told to retry later (HTTP 429/503 with Retry-After).")
    @Default("1000") @Min(1) @Max(1000000)
    Integer mailboxCapacity,

    @JsonPropertyDescription("Largest message body accepted, as a quantity of bytes (at most 16Mi).")
    @Default("1Mi")
    @ValidationRule(value = "isQuantity(self) && quantity(self).compareTo(quantity('1Ki')) >= 0 && quantity(self).compareTo(quantity('16Mi')) <= 0",
        message = "maxMessageSize must be a quantity between 1Ki and 16Mi, such as 1Mi")
    @Size(max = 32)
    String maxMessageSize,

    @JsonPropertyDescription("Wall-clock time one gear may spend on one message before the watchdog stops it, as a duration (10ms to 5m).")
    @Default("2s")
    @ValidationRule(value = "self.matches('" + Names.DURATION + "') && duration(self) >= duration('10ms') && duration(self) <= duration('5m')",
        message = "messageTimeout must be a duration between 10ms and 5m, such as 2s")
    @Size(max = 32)
    String messageTimeout,

    @JsonPropertyDescription("JavaScript statements one gear may execute for one message.")
    @Default("10000000") @Min(1000) @Max(10000000000L)
    Long statementLimit,

    @JsonPropertyDescription("Most gears the machine will load across all of its gearboxes.")
    @Default("256") @Min(1) @Max(10000)
    Integer maxGears,

    @JsonPropertyDescription("Heap the machine's JavaScript may keep between messages, summed over its gearboxes, as a quantity of"
        + " bytes (16Mi to 64Gi). Past it, the gearbox found over restarts its JavaScript gears with fresh state and the message"
        + " that crossed it is dead-lettered. Unset: the machine's share of its engine host's budget (see docs/gears.md).")
    @ValidationRule(value = "isQuantity(self) && quantity(self).compareTo(quantity('16Mi')) >= 0 && quantity(self).compareTo(quantity('64Gi')) <= 0",
        message = "maxRetainedHeap must be a quantity between 16Mi and 64Gi, such as 256Mi")
    @Size(max = 32)
    String maxRetainedHeap) {
}
