package io.erlmachine.api.v1alpha1.spec;

import com.fasterxml.jackson.annotation.JsonClassDescription;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Default;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.Size;
import io.fabric8.generator.annotation.ValidationRule;
import java.util.List;

/** Gears composed into a message flow by shafts, with the tools they import and the self-tests that prove them. */
@JsonClassDescription("Gears composed into a message flow by shafts, with the tools they import and the self-tests that prove them.")
@JsonInclude(JsonInclude.Include.NON_NULL)
@ValidationRule(value = "!has(self.shafts) || self.shafts.all(s, self.gears.exists(g, g.name == s.from) && self.gears.exists(g, g.name == s.to))",
    message = "every shaft must connect two gears declared in spec.gears")
@ValidationRule(value = "!has(self.selfTests) || self.selfTests.all(t, self.gears.exists(g, g.name == t.gear))",
    message = "every self-test must name a gear declared in spec.gears")
@ValidationRule(value = "!has(self.tools) || self.tools.all(t, self.tools.exists_one(u, u.name == t.name))",
    message = "tool names must be unique within a gearbox")
@ValidationRule(value = "!has(self.selfTests) || self.selfTests.all(t, self.selfTests.exists_one(u, u.name == t.name))",
    message = "self-test names must be unique within a gearbox")
public record GearboxSpec(
    @JsonPropertyDescription("The gears of the gearbox; names are unique within it.")
    @Required @Size(min = 1, max = 128)
    @ValidationRule(value = "self.all(g, self.exists_one(h, h.name == g.name))", message = "gear names must be unique within a gearbox")
    List<GearSpec> gears,

    @JsonPropertyDescription("Links that carry every message a gear emits to the next gear.")
    @Size(max = 256)
    @ValidationRule(value = "self.all(s, s.from != s.to)", message = "a shaft cannot connect a gear to itself")
    List<Shaft> shafts,

    @JsonPropertyDescription("JavaScript library modules the gears can import by name.")
    @Size(max = 32)
    List<Tool> tools,

    @JsonPropertyDescription("Test cases run in fresh gear contexts when the gearbox loads and on demand.")
    @Size(max = 64)
    List<SelfTest> selfTests,

    @JsonPropertyDescription("How crashing gears are restarted before the gearbox is marked degraded.")
    RestartPolicy restartPolicy,

    @JsonPropertyDescription("When true, a machine reports Ready only after this gearbox's self-tests pass on it.")
    @Default("true")
    Boolean selfTestsGateReadiness,

    @JsonPropertyDescription("Engaged lets messages flow through the gearbox; Disengaged holds them in the mailboxes.")
    @Default("Engaged")
    Clutch clutch) {
}
