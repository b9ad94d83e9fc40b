package io.erlmachine.operator.machine;

import io.erlmachine.api.config.MachineConfig;
import io.erlmachine.api.config.RouteCheck;
import io.erlmachine.api.config.TransmissionRenderer;
import io.erlmachine.api.v1alpha1.Machine;
import io.erlmachine.api.v1alpha1.Transmission;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * The transmissions that concern a machine: the routes it sends along (rendered into its config)
 * and the machines it exchanges messages with (opened in its NetworkPolicy).
 */
public final class MachineTransmissions {
  private final TransmissionRenderer renderer = new TransmissionRenderer();
  private final Function<Machine, String> dnsName;

  public MachineTransmissions(Function<Machine, String> dnsName) {
    this.dnsName = dnsName;
  }

  /** Routes from the machine, and the names of the machines it sends to and receives from. */
  public record Wiring(List<MachineConfig.RouteConfig> routes, Set<String> sendsTo, Set<String> receivesFrom) {
    public static final Wiring NONE = new Wiring(List.of(), Set.of(), Set.of());

    /**
     * Only the routes that can run with the machine's rendered gearboxes (the Transmission's
     * status says why one cannot), and egress only to their targets.
     */
    Wiring runnableWith(List<MachineConfig.GearboxConfig> gearboxes) {
      var gears = RouteCheck.gearsByGearbox(gearboxes);
      List<MachineConfig.RouteConfig> runnable = routes.stream().filter(r -> RouteCheck.problems(r, gears).isEmpty()).toList();
      return new Wiring(runnable, targetMachines(runnable), receivesFrom);
    }
  }

  /**
   * The namespace's machines are asked for only when some transmission exists: the host fleet asks this of every shared
   * machine of a namespace on each sync, and listing thousands of machines for each of them would cost N² for nothing.
   */
  public Wiring wiring(Machine machine, List<Transmission> transmissions, Supplier<List<Machine>> machinesInNamespace) {
    if (transmissions.isEmpty()) {
      return Wiring.NONE;
    }
    List<TransmissionRenderer.MachineRef> refs = machinesInNamespace.get().stream().map(this::ref).toList();
    TransmissionRenderer.MachineRef self = ref(machine);
    List<MachineConfig.RouteConfig> routes = renderer.routesFrom(self, transmissions, refs);
    // Whoever a transmission that targets this machine sends from, may send here.
    Set<String> receivesFrom = new TreeSet<>();
    for (Transmission transmission : transmissions) {
      if (transmission.getMetadata().getNamespace().equals(self.namespace())
          && transmission.getSpec().to().stream().anyMatch(to -> TransmissionRenderer.selects(to, self))) {
        refs.stream().filter(other -> TransmissionRenderer.selects(transmission.getSpec().from(), other))
            .forEach(other -> receivesFrom.add(other.name()));
      }
    }
    return new Wiring(routes, targetMachines(routes), receivesFrom);
  }

  private static Set<String> targetMachines(List<MachineConfig.RouteConfig> routes) {
    Set<String> machines = new TreeSet<>();
    routes.forEach(route -> route.targets().forEach(target -> machines.add(target.machine())));
    return machines;
  }

  public TransmissionRenderer.MachineRef ref(Machine machine) {
    return TransmissionRenderer.MachineRef.of(machine, dnsName.apply(machine));
  }
}
