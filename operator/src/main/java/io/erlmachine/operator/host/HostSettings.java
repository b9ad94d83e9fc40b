package io.erlmachine.operator.host;

import io.erlmachine.operator.config.OperatorSettings;
import io.fabric8.kubernetes.api.model.Quantity;

/**
 * How big shared engine hosts are, as plain values. {@code machineMemory} is what a host's
 * machines may ask for together: the host pod's memory limit minus what the host keeps for itself.
 */
public record HostSettings(int machinesPerHost, String memoryRequest, String memoryLimit, String cpuRequest,
                           long machineMemory, long defaultMachineMemory) {

  public HostSettings {
    if (machinesPerHost < 1 || machinesPerHost > 45000) {
      throw new IllegalArgumentException("erlmachine.hosts.machines-per-host must be between 1 and 45000 (ports 20000 and up), not " + machinesPerHost);
    }
    if (machineMemory <= 0) {
      throw new IllegalArgumentException("erlmachine.hosts.memory-limit must be larger than erlmachine.hosts.reserved-memory");
    }
  }

  public static HostSettings from(OperatorSettings settings) {
    OperatorSettings.Hosts hosts = settings.hosts();
    return new HostSettings(hosts.machinesPerHost(), hosts.memoryRequest(), hosts.memoryLimit(), hosts.cpuRequest(),
        bytes(hosts.memoryLimit()) - bytes(hosts.reservedMemory()), bytes(hosts.defaultMachineMemory()));
  }

  public static long bytes(String quantity) {
    return Quantity.getAmountInBytes(new Quantity(quantity)).longValueExact();
  }
}
