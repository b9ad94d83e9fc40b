package io.erlmachine.api.v1alpha1.status;

import com.fasterxml.jackson.annotation.JsonClassDescription;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.erlmachine.api.v1alpha1.spec.Hosting;
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
    List<Condition> conditions,
    @JsonPropertyDescription("How the machine is hosted (Shared or Dedicated), decided when it was first placed and changed only by spec.hosting.")
    Hosting hosting,
    @JsonPropertyDescription("The engine host pod that runs the machine (shared hosting only).")
    String host,
    @JsonPropertyDescription("The machine's port on its engine host (shared hosting only); its Service forwards to it.")
    Integer port) {

  /** A status without a placement yet. */
  public MachineStatus(Long observedGeneration, MachinePhase phase, Long serial, String dnsName, List<String> gearboxes, List<Condition> conditions) {
    this(observedGeneration, phase, serial, dnsName, gearboxes, conditions, null, null, null);
  }

  /** The same status, placed as given. */
  public MachineStatus placed(Hosting newHosting, String newHost, Integer newPort) {
    return new MachineStatus(observedGeneration, phase, serial, dnsName, gearboxes, conditions, newHosting, newHost, newPort);
  }
}
