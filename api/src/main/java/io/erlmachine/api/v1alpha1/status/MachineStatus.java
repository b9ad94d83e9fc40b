package io.erlmachine.api.v1alpha1.status;

import com.fasterxml.jackson.annotation.JsonClassDescription;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.kubernetes.api.model.Condition;
import java.util.List;

/** Where a machine stands, as last observed by the operator. */
@JsonClassDescription("Where a machine stands, as last observed by the operator.")
@JsonInclude(JsonInclude.Include.NON_NULL)
public record MachineStatus(
    @JsonPropertyDescription("The metadata.generation this status describes.")
    Long observedGeneration,
    @JsonPropertyDescription("A one-word summary: Pending, Provisioning, Running, Suspended, Degraded or Failed.")
    MachinePhase phase,
    @JsonPropertyDescription("Cluster-unique serial number, assigned once and never reused; also in the label erlmachine.io/serial.")
    Long serial,
    @JsonPropertyDescription("The machine's DNS name inside the cluster: <name>.<namespace>.svc.<cluster domain>.")
    String dnsName,
    @JsonPropertyDescription("Names of the gearboxes placed on the machine.")
    List<String> gearboxes,
    @JsonPropertyDescription("Ready, Progressing and Degraded, each with a reason and a message.")
    List<Condition> conditions) {
}
