package io.erlmachine.engine.host.cluster;

import io.erlmachine.api.host.HostContract;
import io.fabric8.kubernetes.api.model.coordination.v1.Lease;
import io.fabric8.kubernetes.api.model.coordination.v1.LeaseBuilder;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.NonNamespaceOperation;
import io.fabric8.kubernetes.client.dsl.Resource;
import io.fabric8.kubernetes.api.model.coordination.v1.LeaseList;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.util.HexFormat;
import java.util.Objects;
import java.util.concurrent.ThreadLocalRandom;
import org.jboss.logging.Logger;

/**
 * The coordination.k8s.io Lease named like the host, which the host must hold to serve. Every write is an update at the
 * resource version last seen, so of two hosts of the same name racing for the Lease exactly one wins. Renewals carry
 * the machine reports in the same update. The holder identity is the host's name and a boot id drawn at start, so a
 * restarted process of the same name is a different holder.
 */
final class HostLease {
  private static final Logger LOG = Logger.getLogger(HostLease.class);
  static final String COMPONENT_LABEL = "app.kubernetes.io/component";
  static final String MANAGED_BY_LABEL = "app.kubernetes.io/managed-by";
  static final String MANAGED_BY = "erlmachine-operator";

  enum Renewal { RENEWED, FAILED, LOST }

  private final ClusterConnection connection;
  private final String identity;
  private final Duration leaseDuration;
  private final LeaseObservation observation;
  private Lease current;
  private String publishedReports;
  private String waitingFor;
  private volatile boolean held;
  private volatile long renewedAtNanos;

  HostLease(ClusterConnection connection, Duration leaseDuration) {
    this.connection = connection;
    this.identity = connection.hostName() + "_" + HexFormat.of().toHexDigits(ThreadLocalRandom.current().nextInt());
    this.leaseDuration = leaseDuration;
    this.observation = new LeaseObservation(leaseDuration);
  }

  String identity() {
    return identity;
  }

  boolean held() {
    return held;
  }

  /** Time since the last renewal that the API server accepted (counted from when it was sent). */
  Duration sinceRenewal() {
    return Duration.ofNanos(System.nanoTime() - renewedAtNanos);
  }

  /** The reports on the Lease as last written, or null before the first renewal of this holding. */
  String publishedReports() {
    return publishedReports;
  }

  /** One attempt to take the Lease: creates it when absent, takes it over when free or expired; true when held. */
  boolean tryAcquire() {
    long sent = System.nanoTime();
    Instant now = Instant.now();
    try {
      Lease lease = lease().get();
      if (lease == null) {
        current = leases().resource(created(now)).create();
      } else if (observation.mayTake(lease, identity, now, sent)) {
        current = leases().resource(takenOver(lease, now)).update();
      } else {
        String holder = LeaseObservation.holder(lease);
        if (!holder.equals(waitingFor)) {
          waitingFor = holder;
          LOG.infof("Lease %s is held by %s; no machine starts here until it is released or expires", name(), holder);
        }
        return false;
      }
    } catch (KubernetesClientException e) {
      if (e.getCode() != 409) {
        LOG.warnf("cannot take Lease %s: %s", name(), e.getMessage());
      }
      return false;
    }
    renewedAtNanos = sent;
    publishedReports = null;
    waitingFor = null;
    held = true;
    LOG.infof("holds Lease %s/%s as %s", connection.namespace(), name(), identity);
    return true;
  }

  /** Renews the Lease and writes the reports with it. LOST: another holder has it now (or it is gone). */
  Renewal renew(String reports) {
    for (int attempt = 0; attempt < 2; attempt++) {
      long sent = System.nanoTime();
      try {
        current = leases().resource(renewed(current, reports)).update();
        renewedAtNanos = sent;
        publishedReports = reports;
        return Renewal.RENEWED;
      } catch (KubernetesClientException e) {
        if (e.getCode() != 409 && e.getCode() != 404) {
          LOG.warnf("renewing Lease %s failed (%s for %d ms): %s", name(), identity, sinceRenewal().toMillis(), e.getMessage());
          return Renewal.FAILED;
        }
        Lease now = e.getCode() == 404 ? null : lease().get();
        if (now == null || !identity.equals(LeaseObservation.holder(now))) {
          LOG.errorf("Lease %s is no longer held by %s (holder now: %s)", name(), identity, LeaseObservation.holder(now));
          held = false;
          return Renewal.LOST;
        }
        current = now;
      }
    }
    return Renewal.FAILED;
  }

  /** Stops counting the Lease as held (the renew deadline passed): the caller stops the machines. */
  void drop() {
    held = false;
  }

  /** Gives the Lease back, with no reports, so a host of the same name may take it at once. */
  void release() {
    if (current == null || !identity.equals(LeaseObservation.holder(current))) {
      return;
    }
    held = false;
    try {
      Lease latest = lease().get();
      if (latest == null || !identity.equals(LeaseObservation.holder(latest))) {
        return;
      }
      leases().resource(new LeaseBuilder(latest)
          .editMetadata().removeFromAnnotations(HostContract.REPORTS_ANNOTATION).endMetadata()
          .editSpec().withHolderIdentity(null).withLeaseDurationSeconds(1).withRenewTime(microTime(Instant.now())).endSpec()
          .build()).update();
      LOG.infof("released Lease %s", name());
    } catch (KubernetesClientException e) {
      LOG.warnf("cannot release Lease %s; another host of the same name waits until it expires: %s", name(), e.getMessage());
    }
  }

  private Lease created(Instant now) {
    return new LeaseBuilder()
        .withNewMetadata().withName(name()).withNamespace(connection.namespace())
          .addToLabels(COMPONENT_LABEL, HostContract.COMPONENT).addToLabels(MANAGED_BY_LABEL, MANAGED_BY)
        .endMetadata()
        .withNewSpec().withHolderIdentity(identity).withLeaseDurationSeconds(leaseSeconds()).withAcquireTime(microTime(now))
          .withRenewTime(microTime(now)).withLeaseTransitions(0)
        .endSpec()
        .build();
  }

  private Lease takenOver(Lease lease, Instant now) {
    boolean newHolder = !identity.equals(LeaseObservation.holder(lease));
    int transitions = lease.getSpec() == null || lease.getSpec().getLeaseTransitions() == null ? 0 : lease.getSpec().getLeaseTransitions();
    LeaseBuilder builder = new LeaseBuilder(lease)
        .editMetadata().addToLabels(COMPONENT_LABEL, HostContract.COMPONENT).addToLabels(MANAGED_BY_LABEL, MANAGED_BY)
          .removeFromAnnotations(HostContract.REPORTS_ANNOTATION).endMetadata();
    return builder.editOrNewSpec().withHolderIdentity(identity).withLeaseDurationSeconds(leaseSeconds()).withRenewTime(microTime(now))
        .withAcquireTime(newHolder ? microTime(now) : lease.getSpec().getAcquireTime())
        .withLeaseTransitions(newHolder ? transitions + 1 : transitions)
        .endSpec().build();
  }

  private Lease renewed(Lease lease, String reports) {
    LeaseBuilder builder = new LeaseBuilder(lease);
    if (!Objects.equals(reports, publishedReports)) {
      builder.editMetadata().addToAnnotations(HostContract.REPORTS_ANNOTATION, reports).endMetadata();
    }
    return builder.editSpec().withRenewTime(microTime(Instant.now())).endSpec().build();
  }

  private int leaseSeconds() {
    return (int) Math.max(1, leaseDuration.toSeconds());
  }

  private static ZonedDateTime microTime(Instant instant) {
    return instant.atZone(ZoneOffset.UTC);
  }

  private String name() {
    return connection.hostName();
  }

  private Resource<Lease> lease() {
    return leases().withName(name());
  }

  private NonNamespaceOperation<Lease, LeaseList, Resource<Lease>> leases() {
    return connection.client().leases().inNamespace(connection.namespace());
  }
}
