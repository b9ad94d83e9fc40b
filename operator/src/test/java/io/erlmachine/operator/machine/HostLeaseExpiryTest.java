package io.erlmachine.operator.machine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.erlmachine.api.v1alpha1.Machine;
import io.erlmachine.api.v1alpha1.spec.Hosting;
import io.erlmachine.api.v1alpha1.status.MachineStatus;
import io.fabric8.kubernetes.api.model.ConditionBuilder;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.api.model.coordination.v1.Lease;
import io.fabric8.kubernetes.api.model.coordination.v1.LeaseBuilder;
import io.javaoperatorsdk.operator.processing.event.Event;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class HostLeaseExpiryTest {
  private static final ResourceID HOST_0 = new ResourceID("erlmachine-host-0", "ns");
  private final ConcurrentHashMap<ResourceID, Lease> cache = new ConcurrentHashMap<>();
  private final List<Machine> machines = List.of(machine("on-0", "erlmachine-host-0", "EngineReady"),
      machine("also-on-0", "erlmachine-host-0", "SelfTestFailed"), machine("told-already", "erlmachine-host-0", "HostLeaseExpired"),
      machine("on-1", "erlmachine-host-1", "EngineReady"));
  private final List<Event> events = new CopyOnWriteArrayList<>();
  private final HostLeaseExpiry expiry = new HostLeaseExpiry(id -> Optional.ofNullable(cache.get(id)), namespace -> machines.stream(), Clock.systemUTC());

  HostLeaseExpiryTest() {
    expiry.setEventHandler(events::add);
    expiry.start();
  }

  @AfterEach
  void stop() {
    expiry.stop();
  }

  @Test
  void aLeaseThatRunsOutReconcilesTheMachinesOnItsHostOnceAtItsExpiry() {
    Lease lease = lease(Instant.now().minusMillis(700));
    Instant expires = Instant.now().plusMillis(300);
    cache.put(HOST_0, lease);
    expiry.seen(lease);

    await().atMost(Duration.ofSeconds(3)).until(() -> !events.isEmpty());
    Instant fired = Instant.now();
    assertThat(fired).isAfterOrEqualTo(expires.minusMillis(50));
    assertThat(events).extracting(Event::getRelatedCustomResourceID)
        .as("the machines placed on the host whose status does not say so yet; not the other host's")
        .containsExactlyInAnyOrder(new ResourceID("on-0", "ns"), new ResourceID("also-on-0", "ns"));
  }

  @Test
  void aRenewalMovesTheExpiryWithoutAnyReconcileAndOnlyTheLastExpiryCounts() throws InterruptedException {
    Lease first = lease(Instant.now().minusMillis(700));
    cache.put(HOST_0, first);
    expiry.seen(first);
    AtomicReference<Instant> renewed = new AtomicReference<>();
    Thread.sleep(150);
    renewed.set(Instant.now());
    // Renewals reach the cache; only some reach seen() in this test, as the timer must not depend on them.
    cache.put(HOST_0, lease(renewed.get()));

    Thread.sleep(600);
    assertThat(events).as("the first expiry passed, but the Lease had been renewed").isEmpty();
    await().atMost(Duration.ofSeconds(3)).until(() -> !events.isEmpty());
    assertThat(Instant.now()).as("due a lease duration after the renewal").isAfterOrEqualTo(renewed.get().plusMillis(950));
    assertThat(events).hasSize(2);
  }

  @Test
  void aReleasedOrDeletedLeaseReconcilesNothing() throws InterruptedException {
    Lease lease = lease(Instant.now().minusMillis(800));
    cache.put(HOST_0, lease);
    expiry.seen(lease);
    cache.put(HOST_0, new LeaseBuilder(lease).editSpec().withHolderIdentity(null).endSpec().build());
    Lease other = new LeaseBuilder(lease(Instant.now().minusMillis(800))).editMetadata().withName("erlmachine-host-1").endMetadata().build();
    expiry.seen(other);
    expiry.gone(other);

    Thread.sleep(600);
    assertThat(events).isEmpty();
  }

  private static Lease lease(Instant renewed) {
    return new LeaseBuilder().withNewMetadata().withName("erlmachine-host-0").withNamespace("ns").endMetadata()
        .withNewSpec().withHolderIdentity("erlmachine-host-0_5eed").withLeaseDurationSeconds(1)
        .withRenewTime(renewed.atZone(ZoneOffset.UTC)).endSpec().build();
  }

  private static Machine machine(String name, String host, String readyReason) {
    Machine machine = new Machine();
    machine.setMetadata(new ObjectMetaBuilder().withName(name).withNamespace("ns").withGeneration(1L).build());
    machine.setStatus(new MachineStatus(1L, null, 7L, null, null, List.of(new ConditionBuilder().withType("Ready")
        .withStatus("EngineReady".equals(readyReason) ? "True" : "False").withReason(readyReason).build()), Hosting.Shared, host, 20000));
    return machine;
  }
}
