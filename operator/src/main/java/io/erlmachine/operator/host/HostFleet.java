package io.erlmachine.operator.host;

import io.erlmachine.api.v1alpha1.Machine;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.jboss.logging.Logger;

/**
 * Keeps each namespace's host objects ({@link HostBlueprint}) in line with its placements: as
 * many hosts as the highest one in use, a NetworkPolicy admitting what its machines need, and
 * nothing at all once no shared machine is left. Work for a namespace is coalesced and done on
 * one thread of its own, so a burst of 200 new machines scales the StatefulSet once, not 200
 * times, and a reconcile never waits for it. An object set equal to the one last applied is
 * not sent again. The hosts' control token Secret is made before the first host and kept; it is
 * checked for whenever the host objects change.
 */
public final class HostFleet implements AutoCloseable {
  static final String FIELD_MANAGER = "erlmachine-hosts";
  static final String DIGEST_ANNOTATION = "erlmachine.io/applied-digest";
  private static final Logger LOG = Logger.getLogger(HostFleet.class);
  private static final Duration COALESCE = Duration.ofMillis(200);
  private static final Duration RETRY = Duration.ofSeconds(5);

  private final KubernetesClient client;
  private final HostAllocator allocator;
  private final HostBlueprint blueprint;
  private final HostControlSecret controlSecret;
  private final Function<String, List<Machine>> machinesInNamespace;
  private final Function<Machine, HostNeeds> needsOf;
  /** Per namespace, the objects last applied; an empty list once they were deleted. */
  private final Map<String, List<HasMetadata>> applied = new ConcurrentHashMap<>();
  private final Set<String> pending = ConcurrentHashMap.newKeySet();
  private final ScheduledExecutorService worker = Executors.newSingleThreadScheduledExecutor(runnable -> {
    Thread thread = new Thread(runnable, "host-fleet");
    thread.setDaemon(true);
    return thread;
  });

  public HostFleet(KubernetesClient client, HostAllocator allocator, HostBlueprint blueprint,
                   Function<String, List<Machine>> machinesInNamespace, Function<Machine, HostNeeds> needsOf) {
    this.client = client;
    this.allocator = allocator;
    this.blueprint = blueprint;
    this.controlSecret = new HostControlSecret(client);
    this.machinesInNamespace = machinesInNamespace;
    this.needsOf = needsOf;
  }

  /** Brings the namespace's host objects in line soon (requests within a short window are done once). */
  public void requestSync(String namespace) {
    schedule(namespace, COALESCE);
  }

  /** Something happened to the host objects from outside (a host pod went away): apply them again even if unchanged. */
  public void hostObjectsChanged(String namespace) {
    applied.remove(namespace);
    requestSync(namespace);
  }

  private void schedule(String namespace, Duration delay) {
    if (pending.add(namespace)) {
      worker.schedule(() -> {
        pending.remove(namespace);
        sync(namespace);
      }, delay.toMillis(), TimeUnit.MILLISECONDS);
    }
  }

  void sync(String namespace) {
    try {
      List<Machine> machines = machinesInNamespace.apply(namespace);
      Set<String> existing = machines.stream().map(m -> m.getMetadata().getName()).collect(Collectors.toSet());
      allocator.machines(namespace).stream().filter(name -> !existing.contains(name)).forEach(gone -> allocator.release(namespace, gone));
      int hosts = allocator.hostsInUse(namespace);
      if (hosts == 0) {
        deleteAll(namespace);
        return;
      }
      Set<String> placed = allocator.machines(namespace);
      HostNeeds needs = HostNeeds.union(machines.stream().filter(m -> placed.contains(m.getMetadata().getName()))
          .sorted(Comparator.comparing(m -> m.getMetadata().getName())).map(needsOf).toList());
      List<HasMetadata> desired = blueprint.build(namespace, hosts, needs);
      List<HasMetadata> before = applied.get(namespace);
      if (!desired.equals(before)) {
        // Every time, not only before the first host: the Secret may be gone while the other objects are known as
        // applied (a namespace deleted and made again under the same name, or the Secret deleted by hand), and a host
        // pod without it never starts.
        controlSecret.ensure(namespace);
        desired.forEach(object -> apply(object, before == null));
        applied.put(namespace, desired);
        LOG.debugf("namespace %s: %d engine host(s) for %d shared machine(s)", namespace, hosts, placed.size());
      }
    } catch (KubernetesClientException | IllegalStateException e) {
      LOG.warnf("could not bring the engine hosts of namespace %s in line (retrying in %ds): %s", namespace, RETRY.toSeconds(), e.getMessage());
      applied.remove(namespace);
      schedule(namespace, RETRY);
    }
  }

  /**
   * Server-side applies the object, stamped with a digest of what was applied. Right after a
   * start (nothing known to be applied yet) an object whose stamp matches is left alone, so a
   * restarted operator writes nothing when nothing changed.
   */
  private void apply(HasMetadata desired, boolean unknown) {
    String digest = Digest.of(client.getKubernetesSerialization().asJson(desired));
    HasMetadata stamped = client.getKubernetesSerialization().clone(desired);
    Map<String, String> annotations = new java.util.TreeMap<>(java.util.Objects.requireNonNullElse(stamped.getMetadata().getAnnotations(), Map.of()));
    annotations.put(DIGEST_ANNOTATION, digest);
    stamped.getMetadata().setAnnotations(annotations);
    if (unknown) {
      HasMetadata live = client.resource(stamped).get();
      if (live != null && live.getMetadata().getAnnotations() != null && digest.equals(live.getMetadata().getAnnotations().get(DIGEST_ANNOTATION))) {
        return;
      }
    }
    client.resource(stamped).fieldManager(FIELD_MANAGER).forceConflicts().serverSideApply();
  }

  private void deleteAll(String namespace) {
    if (Optional.ofNullable(applied.get(namespace)).map(List::isEmpty).orElse(false)) {
      return;
    }
    // The pods first: nothing may run a machine after its placement is gone.
    blueprint.build(namespace, 0, HostNeeds.NONE).reversed().forEach(object -> client.resource(object).delete());
    controlSecret.delete(namespace);
    applied.put(namespace, List.of());
    LOG.debugf("namespace %s: no shared machine left, engine host objects deleted", namespace);
  }

  @Override
  public void close() {
    worker.shutdownNow();
  }
}
