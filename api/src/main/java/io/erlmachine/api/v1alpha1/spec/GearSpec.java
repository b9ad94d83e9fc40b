package io.erlmachine.api.v1alpha1.spec;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Max;
import io.fabric8.generator.annotation.Min;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.Size;
import io.fabric8.generator.annotation.ValidationRule;
import java.util.Map;

/** One processing step: a built-in prototype or a JavaScript module, run like an actor. */
@JsonInclude(JsonInclude.Include.NON_NULL)
@ValidationRule(value = "self.prototype != 'js' || has(self.source)", message = "a gear with prototype js needs a source")
@ValidationRule(value = "self.prototype == 'js' || self.prototype == 'router' || self.prototype == 'filter' || !has(self.source)",
    message = "only js, router and filter gears take a source; the other prototypes are configured through params")
@ValidationRule(value = "self.prototype != 'timer' || has(self.interval)", message = "a timer gear needs an interval, a duration such as 100ms")
@ValidationRule(value = "self.prototype == 'timer' || !has(self.interval)", message = "only timer gears take an interval")
public record GearSpec(
    @JsonPropertyDescription("Name of the gear, unique within its gearbox (a DNS label).")
    @Required @Size(max = 63) @Pattern(Names.DNS_LABEL)
    String name,

    @JsonPropertyDescription("The kind of gear: js runs the given JavaScript module; the others are built in.")
    @Required
    Prototype prototype,

    @JsonPropertyDescription("The gear's JavaScript module (for js) or predicate (for router and filter).")
    CodeSource source,

    @JsonPropertyDescription("For timer gears: how often the gear emits a message, as a duration of at least 1ms.")
    @Size(max = 32)
    @ValidationRule(value = "self.matches('" + Names.DURATION + "') && duration(self) >= duration('1ms')",
        message = "interval must be a duration of at least 1ms, such as 100ms")
    String interval,

    @JsonPropertyDescription("Prototype settings, for example the log level of a log gear.")
    @Size(max = 32)
    Map<String, String> params,

    @JsonPropertyDescription("Mailbox capacity for this gear; defaults to the machine's limits.mailboxCapacity.")
    @Min(1) @Max(1000000)
    Integer mailboxCapacity) {
}
