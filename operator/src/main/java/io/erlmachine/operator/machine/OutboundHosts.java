package io.erlmachine.operator.machine;

import io.erlmachine.api.v1alpha1.spec.MachinePermissions;
import java.util.List;
import java.util.TreeSet;

/**
 * Ports the NetworkPolicy opens for a machine's outboundHosts. A NetworkPolicy cannot name
 * hosts, so it opens the ports and the engine enforces the host names.
 */
final class OutboundHosts {
  private static final List<Integer> DEFAULT_PORTS = List.of(80, 443);

  private OutboundHosts() {
  }

  static List<Integer> ports(MachinePermissions permissions) {
    if (permissions == null || permissions.outboundHosts() == null || permissions.outboundHosts().isEmpty()) {
      return List.of();
    }
    TreeSet<Integer> ports = new TreeSet<>();
    permissions.outboundHosts().forEach(host -> {
      if (host.port() != null) {
        ports.add(host.port());
      } else {
        ports.addAll(DEFAULT_PORTS);
      }
    });
    return List.copyOf(ports);
  }
}
