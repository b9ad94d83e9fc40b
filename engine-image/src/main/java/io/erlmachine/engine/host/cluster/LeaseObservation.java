package io.erlmachine.engine.host.cluster;

import io.fabric8.kubernetes.api.model.coordination.v1.Lease;
import io.fabric8.kubernetes.api.model.coordination.v1.LeaseSpec;
import java.time.Duration;
import java.time.Instant;

/**
 * Whether a host that waits for its Lease may take it. It may when nobody holds it, when it holds it itself, or when
 * the holder stopped renewing: the renew time lies a lease duration in the past, or (in case this host's clock runs
 * behind) the Lease has not changed for a lease duration while this host watched it.
 */
final class LeaseObservation {
  private final Duration leaseDuration;
  private String seenVersion;
  private long seenSinceNanos;

  LeaseObservation(Duration leaseDuration) {
    this.leaseDuration = leaseDuration;
  }

  /** Notes the Lease as just read; returns whether {@code identity} may take it now. */
  boolean mayTake(Lease lease, String identity, Instant now, long nowNanos) {
    String version = lease.getMetadata().getResourceVersion();
    if (seenVersion == null || !seenVersion.equals(version)) {
      seenVersion = version;
      seenSinceNanos = nowNanos;
    }
    LeaseSpec spec = lease.getSpec();
    String holder = spec == null ? null : spec.getHolderIdentity();
    if (holder == null || holder.isEmpty() || holder.equals(identity)) {
      return true;
    }
    Duration duration = spec.getLeaseDurationSeconds() == null ? leaseDuration : Duration.ofSeconds(spec.getLeaseDurationSeconds());
    boolean renewedLongAgo = spec.getRenewTime() != null && spec.getRenewTime().toInstant().plus(duration).isBefore(now);
    boolean unchangedLongEnough = nowNanos - seenSinceNanos >= duration.toNanos();
    return renewedLongAgo || unchangedLongEnough;
  }

  /** The current holder, or null. */
  static String holder(Lease lease) {
    return lease == null || lease.getSpec() == null ? null : lease.getSpec().getHolderIdentity();
  }
}
