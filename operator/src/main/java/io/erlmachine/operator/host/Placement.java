package io.erlmachine.operator.host;

import io.erlmachine.api.host.HostContract;
import java.util.Optional;

/** Where a shared machine runs: host number {@code host}, in slot {@code slot}, which gives its port. */
public record Placement(int host, int slot) {
  public String hostName() {
    return HostContract.hostName(host);
  }

  public int port() {
    return HostContract.FIRST_MACHINE_PORT + slot;
  }

  /** The placement a status shows (host name and port), if it names a host of the set and a machine port. */
  public static Optional<Placement> of(String hostName, Integer port) {
    String prefix = HostContract.HOSTS + "-";
    if (hostName == null || port == null || !hostName.startsWith(prefix) || port < HostContract.FIRST_MACHINE_PORT) {
      return Optional.empty();
    }
    try {
      return Optional.of(new Placement(Integer.parseInt(hostName.substring(prefix.length())), port - HostContract.FIRST_MACHINE_PORT));
    } catch (NumberFormatException e) {
      return Optional.empty();
    }
  }
}
