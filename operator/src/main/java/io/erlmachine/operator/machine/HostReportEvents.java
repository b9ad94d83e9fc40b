package io.erlmachine.operator.machine;

import io.erlmachine.api.host.HostContract;
import io.erlmachine.api.host.MachineReports;
import io.erlmachine.api.v1alpha1.Machine;
import io.erlmachine.api.v1alpha1.status.ConditionTypes;
import io.erlmachine.operator.host.HostLease;
import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.coordination.v1.Lease;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import java.time.Instant;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * Which Machines a change of a host's Lease concerns. A host renews its Lease every few
 * seconds; only a change of its reports or of its holder is an event, or a renewal of a Lease
 * that had lapsed, and of the machines on the host only those whose status no longer agrees with
 * their report are reconciled, so a report about one machine costs one reconcile, not one per
 * machine on the host. A Lease that lapses changes nothing on the API server; {@link HostLeaseExpiry}
 * notices it and asks for {@link #onLapsedHost} machines.
 */
final class HostReportEvents {
  private HostReportEvents() {
  }

  static boolean changed(Lease updated, Lease previous) {
    return changed(updated, previous, Instant.now());
  }

  static boolean changed(Lease updated, Lease previous, Instant now) {
    return !Objects.equals(reports(updated), reports(previous))
        || !Objects.equals(holder(updated), holder(previous))
        || heldAt(updated, now) != heldAt(previous, now);
  }

  private static boolean heldAt(Lease lease, Instant now) {
    return HostLease.expiry(lease).map(expiry -> expiry.isAfter(now)).orElse(false);
  }

  static Set<ResourceID> concerned(Lease lease, Stream<Machine> inNamespace) {
    String host = lease.getMetadata().getName();
    Map<String, MachineReports.Report> reports = MachineReports.fromJson(reports(lease));
    return inNamespace
        .filter(machine -> {
          MachineReports.Report report = reports.get(machine.getMetadata().getName());
          boolean placedHere = machine.getStatus() != null && host.equals(machine.getStatus().host());
          return report != null ? !agrees(machine, report) : placedHere && (readyOrMoving(machine) || saysLeaseExpired(machine));
        })
        .map(ResourceID::fromResource)
        .collect(Collectors.toSet());
  }

  /** The machines placed on a host whose Lease has lapsed, except those whose status says so already. */
  static Set<ResourceID> onLapsedHost(String host, Stream<Machine> inNamespace) {
    return inNamespace
        .filter(machine -> machine.getStatus() != null && host.equals(machine.getStatus().host()) && !saysLeaseExpired(machine))
        .map(ResourceID::fromResource)
        .collect(Collectors.toSet());
  }

  /** Whether the machine's Ready condition already says what the report says. */
  static boolean agrees(Machine machine, MachineReports.Report report) {
    Optional<Condition> ready = ready(machine);
    if (ready.isEmpty()) {
      return false;
    }
    long generation = Objects.requireNonNullElse(machine.getMetadata().getGeneration(), 0L);
    if (!Objects.equals(ready.get().getObservedGeneration(), generation)) {
      return false;
    }
    boolean current = report.generation() >= generation && Objects.equals(machine.getStatus().serial(), report.serial());
    boolean reportedReady = current && report.ready();
    if (reportedReady != "True".equals(ready.get().getStatus())) {
      return false;
    }
    return reportedReady || !current || Objects.equals(report.reason(), ready.get().getReason())
        && ready.get().getMessage() != null && ready.get().getMessage().endsWith(Objects.requireNonNullElse(report.message(), ""));
  }

  private static boolean readyOrMoving(Machine machine) {
    return ready(machine).map(c -> "True".equals(c.getStatus()) || MachineStatusCalculator.MOVING.equals(c.getReason())).orElse(false);
  }

  private static boolean saysLeaseExpired(Machine machine) {
    return ready(machine).map(c -> MachineStatusCalculator.HOST_LEASE_EXPIRED.equals(c.getReason())).orElse(false);
  }

  private static Optional<Condition> ready(Machine machine) {
    return machine.getStatus() == null || machine.getStatus().conditions() == null ? Optional.empty()
        : machine.getStatus().conditions().stream().filter(c -> ConditionTypes.READY.equals(c.getType())).findFirst();
  }

  private static String reports(Lease lease) {
    return lease.getMetadata().getAnnotations() == null ? null : lease.getMetadata().getAnnotations().get(HostContract.REPORTS_ANNOTATION);
  }

  private static String holder(Lease lease) {
    return lease.getSpec() == null ? null : lease.getSpec().getHolderIdentity();
  }
}
