package io.erlmachine.operator.machine;

import io.erlmachine.api.v1alpha1.Machine;
import io.erlmachine.operator.host.HostLease;
import io.fabric8.kubernetes.api.model.coordination.v1.Lease;
import io.javaoperatorsdk.operator.processing.event.Event;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import io.javaoperatorsdk.operator.processing.event.source.AbstractEventSource;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.stream.Stream;
import org.jboss.logging.Logger;

/**
 * Reconciles a host's machines when its Lease runs out without a renewal. A host whose process froze or whose node
 * is cut off sends no event: its Lease just stops changing. So each host has one timer, due at the expiry of its
 * Lease as last seen (not one per machine, and nothing asks the API server). When the timer fires and the Lease was
 * renewed meanwhile, it is set again for the new expiry, so renewals cost nothing but a look into the informer's
 * cache; when the Lease has lapsed, the machines placed on the host whose status does not say so yet are reconciled,
 * and find the Lease lapsed. A renewal after that is an event of the Lease informer ({@link HostReportEvents}), which
 * also sets the timer again.
 */
final class HostLeaseExpiry extends AbstractEventSource<Void, Machine> {
  static final String NAME = "host-lease-expiry";
  private static final Logger LOG = Logger.getLogger(HostLeaseExpiry.class);

  private final Function<ResourceID, Optional<Lease>> leases;
  private final Function<String, Stream<Machine>> machinesIn;
  private final Clock clock;
  private final ScheduledExecutorService timer =
      Executors.newSingleThreadScheduledExecutor(Thread.ofPlatform().daemon().name(NAME).factory());
  private final Map<ResourceID, Due> due = new HashMap<>();

  private record Due(Instant at, ScheduledFuture<?> task) {
  }

  /** {@code leases} reads a host's Lease from the informer's cache; {@code machinesIn} lists a namespace's Machines from the primary cache. */
  HostLeaseExpiry(Function<ResourceID, Optional<Lease>> leases, Function<String, Stream<Machine>> machinesIn, Clock clock) {
    super(Void.class, NAME);
    this.leases = leases;
    this.machinesIn = machinesIn;
    this.clock = clock;
  }

  /** A host's Lease was added or changed: its timer is due no later than the Lease's expiry (at once when it has lapsed). */
  void seen(Lease lease) {
    HostLease.expiry(lease).ifPresent(expiry -> dueBy(ResourceID.fromResource(lease), expiry));
  }

  void gone(Lease lease) {
    synchronized (due) {
      Due removed = due.remove(ResourceID.fromResource(lease));
      if (removed != null) {
        removed.task().cancel(false);
      }
    }
  }

  private void dueBy(ResourceID host, Instant expiry) {
    synchronized (due) {
      Due current = due.get(host);
      if (current != null && !current.at().isAfter(expiry)) {
        return;
      }
      if (current != null) {
        current.task().cancel(false);
      }
      // One millisecond past the expiry: a Lease counts as held up to and excluding its expiry.
      long delay = Math.max(0, Duration.between(clock.instant(), expiry).toMillis() + 1);
      due.put(host, new Due(expiry, timer.schedule(() -> fire(host, expiry), delay, TimeUnit.MILLISECONDS)));
    }
  }

  private void fire(ResourceID host, Instant expiry) {
    synchronized (due) {
      Due current = due.get(host);
      if (current == null || !current.at().equals(expiry)) {
        return;
      }
      due.remove(host);
    }
    try {
      Optional<Lease> lease = leases.apply(host);
      if (lease.isEmpty()) {
        return;
      }
      HostLease state = HostLease.of(lease.get(), clock.instant());
      if (state.held()) {
        seen(lease.get());
        return;
      }
      if (state.lapse().isPresent() && isRunning()) {
        Set<ResourceID> machines = HostReportEvents.onLapsedHost(host.getName(), machinesIn.apply(host.getNamespace().orElseThrow()));
        LOG.infof("the Lease of host %s/%s has lapsed (last renewed %s): reconciling the %d machines placed on it", host.getNamespace().orElse(""),
            host.getName(), state.lapse().get().lastRenewal(), machines.size());
        machines.forEach(machine -> getEventHandler().handleEvent(new Event(machine)));
      }
    } catch (RuntimeException e) {
      LOG.errorf(e, "looking at the Lease of host %s at its expiry failed; its next change looks again", host);
    }
  }

  @Override
  public Set<Void> getSecondaryResources(Machine primary) {
    return Set.of();
  }

  @Override
  public void stop() {
    timer.shutdownNow();
    super.stop();
  }
}
