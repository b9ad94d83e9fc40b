package io.erlmachine.testkit;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;

/** Parses manifests written as YAML (flow style included) in tests. */
public final class Manifests {
  private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());

  private Manifests() {
  }

  public static GenericKubernetesResource parse(String yaml) {
    try {
      return YAML.readValue(yaml, GenericKubernetesResource.class);
    } catch (JsonProcessingException e) {
      throw new IllegalArgumentException("not a manifest: " + yaml, e);
    }
  }
}
