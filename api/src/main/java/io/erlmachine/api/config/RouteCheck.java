package io.erlmachine.api.config;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Whether a route can run on a machine with the given gears: the engine refuses a config with
 * a route that cannot, and the operator leaves such a route out (and says why) so that one
 * wrong Transmission never stops a machine's config from loading.
 */
public final class RouteCheck {
  private RouteCheck() {
  }

  /** The problems of a route on a machine, given the gear names of each gearbox it runs; empty when it can run. */
  public static List<String> problems(MachineConfig.RouteConfig route, Map<String, Set<String>> gearsByGearbox) {
    List<String> problems = new ArrayList<>();
    Set<String> gears = gearsByGearbox.get(route.gearbox());
    if (gears == null || !gears.contains(route.gear())) {
      problems.add("gear " + route.gearbox() + "/" + route.gear() + " does not exist on this machine");
    } else if (gears.contains(route.transmission())) {
      problems.add("gearbox " + route.gearbox() + " has a gear of the same name; the transmission cannot be an output of "
          + route.gear());
    }
    MachineConfig.Delivery delivery = route.delivery();
    if (delivery != null && delivery.deadLetterGearbox() != null) {
      Set<String> deadLetterGears = gearsByGearbox.get(delivery.deadLetterGearbox());
      if (deadLetterGears == null || !deadLetterGears.contains(delivery.deadLetterGear())) {
        problems.add("dead-letter gear " + delivery.deadLetterGearbox() + "/" + delivery.deadLetterGear()
            + " does not exist on this machine");
      }
    }
    return problems;
  }

  /** The gear names of each gearbox, as {@link #problems} takes them. */
  public static Map<String, Set<String>> gearsByGearbox(List<MachineConfig.GearboxConfig> gearboxes) {
    return gearboxes.stream().collect(Collectors.toMap(MachineConfig.GearboxConfig::name,
        g -> g.gears().stream().map(MachineConfig.GearConfig::name).collect(Collectors.toSet()), (a, b) -> a));
  }
}
