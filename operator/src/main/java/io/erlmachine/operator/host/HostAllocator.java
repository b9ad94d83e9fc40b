package io.erlmachine.operator.host;

import io.erlmachine.api.v1alpha1.Machine;
import io.erlmachine.api.v1alpha1.spec.Hosting;
import java.util.Comparator;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;
import java.util.stream.Stream;

/**
 * Places shared machines onto the hosts of their namespace. Authoritative in memory: a port is
 * given out here, under the namespace's lock, before any status shows it, so two concurrent
 * reconciles can never give one port twice. A namespace's placements are rebuilt from the
 * Machines' status (the informer cache) the first time the namespace is used, oldest Machine
 * first, so a restarted operator keeps every machine where it was.
 */
public final class HostAllocator {
  private final HostSettings settings;
  private final Function<String, Stream<Machine>> machinesInNamespace;
  private final Map<String, HostPacking> namespaces = new ConcurrentHashMap<>();

  public HostAllocator(HostSettings settings, Function<String, Stream<Machine>> machinesInNamespace) {
    this.settings = settings;
    this.machinesInNamespace = machinesInNamespace;
  }

  /** What a machine asks of its host: its memory request, or the default. */
  public long memoryOf(Machine machine) {
    var resources = machine.getSpec() == null ? null : machine.getSpec().resources();
    String memory = resources == null || resources.requests() == null ? null : resources.requests().memory();
    return memory == null ? settings.defaultMachineMemory() : HostSettings.bytes(memory);
  }

  public boolean fitsAHost(Machine machine) {
    return memoryOf(machine) <= settings.machineMemory();
  }

  /** Places the machine (or keeps it where it is); the caller checked {@link #fitsAHost}. */
  public Placement place(Machine machine) {
    String name = machine.getMetadata().getName();
    long memory = memoryOf(machine);
    return inNamespace(machine.getMetadata().getNamespace(), packing -> packing.place(name, memory, recorded(machine)));
  }

  public void release(String namespace, String machine) {
    inNamespace(namespace, packing -> {
      packing.release(machine);
      return null;
    });
  }

  public Optional<Placement> placementOf(String namespace, String machine) {
    return inNamespace(namespace, packing -> packing.placementOf(machine));
  }

  public int hostsInUse(String namespace) {
    return inNamespace(namespace, HostPacking::hostsInUse);
  }

  public Set<String> machines(String namespace) {
    return inNamespace(namespace, HostPacking::machines);
  }

  public Set<String> machinesOn(String namespace, int host) {
    return inNamespace(namespace, packing -> packing.machinesOn(host));
  }

  private <T> T inNamespace(String namespace, Function<HostPacking, T> action) {
    HostPacking packing = namespaces.computeIfAbsent(namespace, this::rebuilt);
    synchronized (packing) {
      return action.apply(packing);
    }
  }

  private HostPacking rebuilt(String namespace) {
    HostPacking packing = new HostPacking(settings.machinesPerHost(), settings.machineMemory());
    machinesInNamespace.apply(namespace)
        .filter(machine -> machine.getStatus() != null && machine.getStatus().hosting() == Hosting.Shared && recorded(machine).isPresent())
        .filter(this::fitsAHost)
        .sorted(Comparator.comparing((Machine m) -> String.valueOf(m.getMetadata().getCreationTimestamp()))
            .thenComparing(m -> m.getMetadata().getName()))
        .forEach(machine -> packing.place(machine.getMetadata().getName(), memoryOf(machine), recorded(machine)));
    return packing;
  }

  private static Optional<Placement> recorded(Machine machine) {
    return machine.getStatus() == null ? Optional.empty() : Placement.of(machine.getStatus().host(), machine.getStatus().port());
  }
}
