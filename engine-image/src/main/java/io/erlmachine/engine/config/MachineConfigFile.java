package io.erlmachine.engine.config;

import io.erlmachine.api.config.MachineConfig;
import io.erlmachine.api.config.MachineConfigCodec;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** The machine config the operator mounts into the engine (ERLMACHINE_CONFIG). */
public final class MachineConfigFile {
  public static final String ENVIRONMENT_VARIABLE = "ERLMACHINE_CONFIG";

  private MachineConfigFile() {
  }

  public static MachineConfig load(Path file) {
    try {
      return MachineConfigCodec.fromYaml(Files.readString(file));
    } catch (IOException e) {
      throw new IllegalArgumentException("cannot read machine config " + file + ": " + e.getMessage(), e);
    }
  }
}
