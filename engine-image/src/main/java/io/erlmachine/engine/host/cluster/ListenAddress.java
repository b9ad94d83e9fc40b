package io.erlmachine.engine.host.cluster;

import io.erlmachine.api.config.MachineConfig;
import io.erlmachine.api.config.MachineConfigCodec;
import java.util.Optional;

/**
 * The address every machine of the host listens on, when the host's setting overrides the one in the configs. The
 * operator writes 0.0.0.0, which in a pod means the pod's own network; a host run outside the cluster (the local
 * control plane's stand-in for a host pod) must not open its machines' ports on every interface of the computer.
 */
final class ListenAddress {
  private final Optional<String> override;

  ListenAddress(Optional<String> override) {
    this.override = override.filter(address -> !address.isBlank());
  }

  /** The config text with its listener moved to the override; unchanged without one, or when it cannot be read. */
  String apply(String configText) {
    if (override.isEmpty() || configText == null) {
      return configText;
    }
    MachineConfig config;
    try {
      config = MachineConfigCodec.fromYaml(configText);
    } catch (RuntimeException unreadable) {
      return configText; // the host rejects it with its own problems
    }
    if (config == null || config.listener() == null || config.listener().address().equals(override.get())) {
      return configText;
    }
    return MachineConfigCodec.toYaml(config.withListener(new MachineConfig.Listener(override.get(), config.listener().port())));
  }
}
