package io.erlmachine.engine.host.cluster;

import io.erlmachine.api.host.HostContract;
import io.erlmachine.api.v1alpha1.ApiGroup;
import io.fabric8.kubernetes.api.model.ConfigMap;
import java.util.Map;

/**
 * What a machine's config ConfigMap says besides the config: the Machine generation it was rendered from, and the
 * machine's name (label erlmachine.io/machine, else app.kubernetes.io/instance, else the ConfigMap's name without
 * "-config") and serial from its labels, for reporting a config that cannot even be read.
 */
record ConfigMapFacts(String machine, long serial, long generation) {
  static final String INSTANCE_LABEL = "app.kubernetes.io/instance";
  private static final String NAME_SUFFIX = "-config";

  static ConfigMapFacts of(ConfigMap configMap) {
    Map<String, String> labels = configMap.getMetadata().getLabels() == null ? Map.of() : configMap.getMetadata().getLabels();
    Map<String, String> annotations = configMap.getMetadata().getAnnotations() == null ? Map.of()
        : configMap.getMetadata().getAnnotations();
    String name = configMap.getMetadata().getName();
    String machine = labels.getOrDefault(ApiGroup.MACHINE_LABEL, labels.getOrDefault(INSTANCE_LABEL,
        name.endsWith(NAME_SUFFIX) ? name.substring(0, name.length() - NAME_SUFFIX.length()) : name));
    return new ConfigMapFacts(machine, number(labels.get(ApiGroup.SERIAL_LABEL)), number(annotations.get(HostContract.GENERATION_ANNOTATION)));
  }

  private static long number(String text) {
    try {
      return text == null ? 0 : Long.parseLong(text.trim());
    } catch (NumberFormatException e) {
      return 0;
    }
  }
}
