package io.erlmachine.operator.machine;

import io.erlmachine.api.config.MachineConfig;
import io.erlmachine.api.config.TransmissionRenderer;
import io.erlmachine.api.v1alpha1.Machine;
import io.erlmachine.api.v1alpha1.Transmission;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Function;

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
  }

  public Wiring wiring(Machine machine, List<Transmission> transmissions, List<Machine> machinesInNamespace) {
    if (transmissions.isEmpty()) {
      return Wiring.NONE;
    }
    List<TransmissionRenderer.MachineRef> refs = machinesInNamespace.stream().map(this::ref).toList();
    List<MachineConfig.RouteConfig> routes = renderer.routesFrom(ref(machine), transmissions, refs);
    Set<String> sendsTo = new TreeSet<>();
    routes.forEach(route -> route.targets().forEach(target -> sendsTo.add(target.machine())));
    Set<String> receivesFrom = new TreeSet<>();
    String name = machine.getMetadata().getName();
    for (TransmissionRenderer.MachineRef other : refs) {
      boolean sendsHere = renderer.routesFrom(other, transmissions, refs).stream()
          .anyMatch(route -> route.targets().stream().anyMatch(target -> target.machine().equals(name)));
      if (sendsHere) {
        receivesFrom.add(other.name());
      }
    }
    return new Wiring(routes, sendsTo, receivesFrom);
  }

  public TransmissionRenderer.MachineRef ref(Machine machine) {
    return new TransmissionRenderer.MachineRef(machine.getMetadata().getName(), machine.getMetadata().getNamespace(),
        Objects.requireNonNullElse(machine.getMetadata().getLabels(), Map.of()), dnsName.apply(machine));
  }
}
