package io.erlmachine.api.v1alpha1.spec;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Default;
import io.fabric8.generator.annotation.Max;
import io.fabric8.generator.annotation.Min;
import io.fabric8.generator.annotation.Size;
import io.fabric8.generator.annotation.ValidationRule;

/** At-least-once delivery: retry with exponential backoff, then dead-letter. */
@JsonInclude(JsonInclude.Include.NON_NULL)
@ValidationRule(value = "!has(self.initialBackoff) || !has(self.maxBackoff) || !self.initialBackoff.matches('" + Names.DURATION + "') || !self.maxBackoff.matches('" + Names.DURATION + "') || duration(self.initialBackoff) <= duration(self.maxBackoff)",
    message = "delivery.initialBackoff must not exceed delivery.maxBackoff")
public record DeliveryPolicy(
    @JsonPropertyDescription("Attempts after the first before the message is dead-lettered (0 to 100).")
    @Default("5") @Min(0) @Max(100)
    Integer maxRetries,
    @JsonPropertyDescription("Wait before the first retry; each later wait doubles, up to maxBackoff.")
    @Default("100ms")
    @ValidationRule(value = "self.matches('" + Names.DURATION + "') && duration(self) >= duration('1ms') && duration(self) <= duration('1m')",
        message = "delivery.initialBackoff must be a duration between 1ms and 1m, such as 100ms")
    @Size(max = 32)
    String initialBackoff,
    @JsonPropertyDescription("Longest wait between two retries.")
    @Default("10s")
    @ValidationRule(value = "self.matches('" + Names.DURATION + "') && duration(self) >= duration('1ms') && duration(self) <= duration('10m')",
        message = "delivery.maxBackoff must be a duration between 1ms and 10m, such as 10s")
    @Size(max = 32)
    String maxBackoff,
    @JsonPropertyDescription("Time one delivery attempt (or, for RequestReply, the reply) may take.")
    @Default("5s")
    @ValidationRule(value = "self.matches('" + Names.DURATION + "') && duration(self) >= duration('10ms') && duration(self) <= duration('5m')",
        message = "delivery.timeout must be a duration between 10ms and 5m, such as 5s")
    @Size(max = 32)
    String timeout,
    @JsonPropertyDescription("Where undeliverable messages go; leave out for the source machine's dead-letter record.")
    DeadLetterTarget deadLetter) {
}
