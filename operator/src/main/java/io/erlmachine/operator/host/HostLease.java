package io.erlmachine.operator.host;

import io.erlmachine.api.host.HostContract;
import io.erlmachine.api.host.MachineReports;
import io.fabric8.kubernetes.api.model.coordination.v1.Lease;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;

/**
 * What a host's Lease says: whether a live host holds it, whether its holder stopped renewing it
 * (a lapse), and how its machines stand as the holder last reported them.
 */
public record HostLease(boolean held, Map<String, MachineReports.Report> reports, Optional<Lapse> lapse) {
  public static final HostLease ABSENT = new HostLease(false, Map.of(), Optional.empty());
  private static final Duration DEFAULT_DURATION = Duration.ofSeconds(15);

  /**
   * A holder that did not renew the Lease within its duration: it counts as stopped (it fenced its machines before
   * the Lease ran out, or it cannot run anything), and any pod of its name may take the Lease.
   */
  public record Lapse(String holder, Instant lastRenewal, Duration leaseDuration) {
    public Instant expired() {
      return lastRenewal.plus(leaseDuration);
    }
  }

  public static HostLease of(Lease lease, Instant now) {
    if (lease == null) {
      return ABSENT;
    }
    var annotations = lease.getMetadata().getAnnotations();
    Map<String, MachineReports.Report> reports = MachineReports.fromJson(annotations == null ? null : annotations.get(HostContract.REPORTS_ANNOTATION));
    Optional<Instant> expiry = expiry(lease);
    if (expiry.isEmpty()) {
      return new HostLease(false, reports, Optional.empty());
    }
    if (expiry.get().isAfter(now)) {
      return new HostLease(true, reports, Optional.empty());
    }
    var spec = lease.getSpec();
    return new HostLease(false, reports, Optional.of(new Lapse(spec.getHolderIdentity(), spec.getRenewTime().toInstant(), duration(lease))));
  }

  /** When the Lease runs out unless its holder renews it; empty when nobody holds it. */
  public static Optional<Instant> expiry(Lease lease) {
    var spec = lease == null ? null : lease.getSpec();
    if (spec == null || spec.getHolderIdentity() == null || spec.getHolderIdentity().isBlank() || spec.getRenewTime() == null) {
      return Optional.empty();
    }
    return Optional.of(spec.getRenewTime().toInstant().plus(duration(lease)));
  }

  private static Duration duration(Lease lease) {
    Integer seconds = lease.getSpec().getLeaseDurationSeconds();
    return seconds == null ? DEFAULT_DURATION : Duration.ofSeconds(seconds);
  }

  /** Whether a live host still runs the machine (so it must not start anywhere else yet). */
  public boolean runs(String machine) {
    return held && reports.containsKey(machine);
  }

  /** What the holder last reported about the machine, whether or not it still holds the Lease. */
  public Optional<MachineReports.Report> report(String machine) {
    return Optional.ofNullable(reports.get(machine));
  }

  /** The machine's report while a live host holds the Lease; a lapsed or released Lease vouches for nothing. */
  public Optional<MachineReports.Report> liveReport(String machine) {
    return held ? report(machine) : Optional.empty();
  }
}
