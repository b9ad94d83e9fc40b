package io.erlmachine.api.v1alpha1.spec;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.Size;
import io.fabric8.generator.annotation.ValidationRule;
import io.fabric8.kubernetes.api.model.LabelSelector;

/** A gear of a gearbox on one machine (by name) or on several machines (by label selector), in the transmission's namespace. */
@JsonInclude(JsonInclude.Include.NON_NULL)
@ValidationRule(value = "has(self.machine) != has(self.machineSelector)",
    message = "an endpoint names exactly one of machine or machineSelector")
@ValidationRule(value = "!has(self.machineSelector) || (has(self.machineSelector.matchLabels) && size(self.machineSelector.matchLabels) > 0) || (has(self.machineSelector.matchExpressions) && size(self.machineSelector.matchExpressions) > 0)",
    message = "an endpoint's machineSelector must not be empty: an empty selector would match every machine in the namespace")
public record Endpoint(
    @JsonPropertyDescription("Name of the machine.")
    @Size(max = 63) @Pattern(Names.DNS_LABEL)
    String machine,
    @JsonPropertyDescription("Labels of the machines; machines that match later are picked up automatically.")
    LabelSelector machineSelector,
    @JsonPropertyDescription("Name of the gearbox on those machines.")
    @Required @Size(max = 63) @Pattern(Names.DNS_LABEL)
    String gearbox,
    @JsonPropertyDescription("Name of the gear in that gearbox.")
    @Required @Size(max = 63) @Pattern(Names.DNS_LABEL)
    String gear) {
}
