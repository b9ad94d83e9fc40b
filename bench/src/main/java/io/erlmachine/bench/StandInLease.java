package io.erlmachine.bench;

import io.erlmachine.api.host.HostContract;
import io.erlmachine.operator.host.HostBlueprint;
import io.fabric8.kubernetes.api.model.coordination.v1.Lease;
import io.fabric8.kubernetes.api.model.coordination.v1.LeaseBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.Resource;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.util.HexFormat;
import java.util.Objects;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Supplier;

/**
 * One host's Lease as the engine's {@code HostLease} and {@code LeaseKeeper} keep it: taken with a holder identity of
 * the host's name and a boot id (created when absent, taken over when free, expired or already this holder's, with
 * the old reports removed), then renewed by updates at the resource version last seen, each carrying the reports when
 * they changed. A conflict re-reads the Lease and retries once if this holder still has it; otherwise it is taken
 * again on a later round.
 */
final class StandInLease {
  private final KubernetesClient client;
  private final String namespace;
  private final String name;
  private final String identity;
  private Lease current;
  private String published;
  private Instant renewedAt = Instant.EPOCH;
  private long writes;

  StandInLease(KubernetesClient client, String namespace, String name) {
    this.client = client;
    this.namespace = namespace;
    this.name = name;
    this.identity = name + "_" + HexFormat.of().toHexDigits(ThreadLocalRandom.current().nextInt());
  }

  synchronized long writes() {
    return writes;
  }

  /** One round of the host's Lease loop: take the Lease if not held, else write changed reports or a due renewal. */
  synchronized void keep(Supplier<String> reports, Duration renewInterval, Duration leaseDuration) {
    try {
      if (current == null) {
        acquire(leaseDuration);
        return;
      }
      String now = reports.get();
      if (now.equals(published) && Duration.between(renewedAt, Instant.now()).compareTo(renewInterval) < 0) {
        return;
      }
      renew(now);
    } catch (KubernetesClientException e) {
      // The API server is busy or the namespace is going away: the next round tries again, as a real host does.
    }
  }

  private void acquire(Duration leaseDuration) {
    Instant now = Instant.now();
    Lease lease = lease().get();
    if (lease == null) {
      current = client.leases().inNamespace(namespace).resource(new LeaseBuilder()
          .withNewMetadata().withName(name).withNamespace(namespace)
            .addToLabels(HostBlueprint.COMPONENT_LABEL, HostContract.COMPONENT).addToLabels("app.kubernetes.io/managed-by", "erlmachine-operator")
          .endMetadata()
          .withNewSpec().withHolderIdentity(identity).withLeaseDurationSeconds((int) leaseDuration.toSeconds())
            .withAcquireTime(time(now)).withRenewTime(time(now)).withLeaseTransitions(0)
          .endSpec().build()).create();
    } else if (free(lease, now)) {
      int transitions = lease.getSpec() == null || lease.getSpec().getLeaseTransitions() == null ? 0 : lease.getSpec().getLeaseTransitions();
      current = client.leases().inNamespace(namespace).resource(new LeaseBuilder(lease)
          .editMetadata().removeFromAnnotations(HostContract.REPORTS_ANNOTATION).endMetadata()
          .editOrNewSpec().withHolderIdentity(identity).withLeaseDurationSeconds((int) leaseDuration.toSeconds())
            .withAcquireTime(time(now)).withRenewTime(time(now)).withLeaseTransitions(transitions + 1)
          .endSpec().build()).update();
    } else {
      return;
    }
    writes++;
    renewedAt = now;
    published = null;
  }

  private boolean free(Lease lease, Instant now) {
    var spec = lease.getSpec();
    if (spec == null || spec.getHolderIdentity() == null || identity.equals(spec.getHolderIdentity())) {
      return true;
    }
    if (spec.getRenewTime() == null || spec.getLeaseDurationSeconds() == null) {
      return true;
    }
    return spec.getRenewTime().toInstant().plusSeconds(spec.getLeaseDurationSeconds()).isBefore(now);
  }

  private void renew(String reports) {
    for (int attempt = 0; attempt < 2; attempt++) {
      Instant now = Instant.now();
      try {
        LeaseBuilder renewed = new LeaseBuilder(current);
        if (!Objects.equals(reports, published)) {
          renewed.editMetadata().addToAnnotations(HostContract.REPORTS_ANNOTATION, reports).endMetadata();
        }
        current = client.leases().inNamespace(namespace).resource(renewed.editSpec().withRenewTime(time(now)).endSpec().build()).update();
        writes++;
        renewedAt = now;
        published = reports;
        return;
      } catch (KubernetesClientException e) {
        if (e.getCode() != 409 && e.getCode() != 404) {
          throw e;
        }
        Lease latest = e.getCode() == 404 ? null : lease().get();
        if (latest == null || latest.getSpec() == null || !identity.equals(latest.getSpec().getHolderIdentity())) {
          current = null;
          return;
        }
        current = latest;
      }
    }
  }

  private Resource<Lease> lease() {
    return client.leases().inNamespace(namespace).withName(name);
  }

  private static ZonedDateTime time(Instant instant) {
    return instant.atZone(ZoneOffset.UTC);
  }
}
