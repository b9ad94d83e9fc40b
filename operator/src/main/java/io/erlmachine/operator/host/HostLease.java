package io.erlmachine.operator.host;

import io.erlmachine.api.host.HostContract;
import io.erlmachine.api.host.MachineReports;
import io.fabric8.kubernetes.api.model.coordination.v1.Lease;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;

/** What a host's Lease says: whether a live host holds it, and how its machines stand. */
public record HostLease(boolean held, Map<String, MachineReports.Report> reports) {
  public static final HostLease ABSENT = new HostLease(false, Map.of());

  public static HostLease of(Lease lease, Instant now) {
    if (lease == null) {
      return ABSENT;
    }
    var annotations = lease.getMetadata().getAnnotations();
    Map<String, MachineReports.Report> reports = MachineReports.fromJson(annotations == null ? null : annotations.get(HostContract.REPORTS_ANNOTATION));
    var spec = lease.getSpec();
    if (spec == null || spec.getHolderIdentity() == null || spec.getHolderIdentity().isBlank() || spec.getRenewTime() == null) {
      return new HostLease(false, reports);
    }
    Instant expires = spec.getRenewTime().toInstant().plus(Duration.ofSeconds(spec.getLeaseDurationSeconds() == null ? 15 : spec.getLeaseDurationSeconds()));
    return new HostLease(expires.isAfter(now), reports);
  }

  /** Whether a live host still runs the machine (so it must not start anywhere else yet). */
  public boolean runs(String machine) {
    return held && reports.containsKey(machine);
  }

  public Optional<MachineReports.Report> report(String machine) {
    return Optional.ofNullable(reports.get(machine));
  }
}
