package io.erlmachine.api.v1alpha1.spec;

import com.fasterxml.jackson.annotation.JsonClassDescription;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Default;
import io.fabric8.kubernetes.api.model.LabelSelector;

/** What a machine is: its allocated resources, its limits, its permissions and the gearboxes it runs. */
@JsonClassDescription("What a machine is: its allocated resources, its limits, its permissions and the gearboxes it runs.")
@JsonInclude(JsonInclude.Include.NON_NULL)
public record MachineSpec(
    @JsonPropertyDescription("Gearboxes in the machine's namespace whose labels match this selector run on the machine. An empty selector selects every gearbox in the namespace; leave it out to run none.")
    LabelSelector gearboxSelector,

    @JsonPropertyDescription("Engaged runs the machine's gearboxes; Disengaged pauses all message flow while keeping state and the pod.")
    @Default("Engaged")
    Clutch clutch,

    @JsonPropertyDescription("CPU and memory allocated to the machine's engine container.")
    MachineResources resources,

    @JsonPropertyDescription("Limits the engine enforces on the machine's gears and messages.")
    EngineLimits limits,

    @JsonPropertyDescription("What the machine's gears may reach and who may reach the machine.")
    MachinePermissions permissions,

    @JsonPropertyDescription("A ConfigMap in the machine's namespace whose data gears can read (read-only application data).")
    LocalObjectName applicationData,

    @JsonPropertyDescription("Shared runs the machine in one of its namespace's engine host pods, beside other machines, on a port of its own; Dedicated gives it a pod of its own (own resources and NetworkPolicy). Left out, a new Machine is Shared and a Machine created before shared hosting existed stays Dedicated; status.hosting says which was chosen.")
    Hosting hosting) {

  /** A spec that leaves the hosting to the operator. */
  public MachineSpec(LabelSelector gearboxSelector, Clutch clutch, MachineResources resources, EngineLimits limits,
                     MachinePermissions permissions, LocalObjectName applicationData) {
    this(gearboxSelector, clutch, resources, limits, permissions, applicationData, null);
  }

  /** The same spec with the given hosting. */
  public MachineSpec withHosting(Hosting newHosting) {
    return new MachineSpec(gearboxSelector, clutch, resources, limits, permissions, applicationData, newHosting);
  }
}
