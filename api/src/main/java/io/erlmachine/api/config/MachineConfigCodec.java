package io.erlmachine.api.config;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLGenerator;

/** Reads and writes machine configs as YAML, with a stable field order. */
public final class MachineConfigCodec {
  private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory()
      .disable(YAMLGenerator.Feature.WRITE_DOC_START_MARKER)
      .enable(YAMLGenerator.Feature.MINIMIZE_QUOTES))
      .enable(SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS);

  private MachineConfigCodec() {
  }

  public static String toYaml(MachineConfig config) {
    try {
      return YAML.writeValueAsString(config);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("cannot write machine config", e);
    }
  }

  public static MachineConfig fromYaml(String yaml) {
    try {
      MachineConfig config = YAML.readValue(yaml, MachineConfig.class);
      if (!MachineConfig.FORMAT.equals(config.format())) {
        throw new IllegalArgumentException("unsupported machine config format " + config.format() + "; expected " + MachineConfig.FORMAT);
      }
      return config;
    } catch (JsonProcessingException e) {
      throw new IllegalArgumentException("not a machine config: " + e.getOriginalMessage(), e);
    }
  }
}
