package io.erlmachine.operator.machine;

import io.erlmachine.api.config.GearboxRenderer;
import io.erlmachine.api.config.MachineConfig;
import io.erlmachine.api.manifests.LabelSelectors;
import io.erlmachine.api.v1alpha1.Gearbox;
import io.erlmachine.api.v1alpha1.Machine;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;

/**
 * The gearboxes a machine runs: those in its namespace that its gearboxSelector matches, in name
 * order, rendered with their sources resolved. A gearbox whose source is missing is left out
 * (its own status says why) so that the machine's other gearboxes keep running.
 */
public final class MachineGearboxes {
  private final KubernetesClient client;
  private final GearboxRenderer renderer = new GearboxRenderer();

  public MachineGearboxes(KubernetesClient client) {
    this.client = client;
  }

  public static boolean selects(Machine machine, Gearbox gearbox) {
    return machine.getSpec() != null
        && machine.getMetadata().getNamespace().equals(gearbox.getMetadata().getNamespace())
        && LabelSelectors.matches(machine.getSpec().gearboxSelector(), gearbox.getMetadata().getLabels());
  }

  List<MachineConfig.GearboxConfig> render(Machine machine, Stream<Gearbox> inNamespace) {
    List<MachineConfig.GearboxConfig> rendered = new ArrayList<>();
    for (Gearbox gearbox : inNamespace.filter(g -> selects(machine, g)).sorted(Comparator.comparing(g -> g.getMetadata().getName())).toList()) {
      try {
        rendered.add(renderer.render(gearbox, this.lookup(gearbox.getMetadata().getNamespace())));
      } catch (GearboxRenderer.MissingSourceException e) {
        // Reported on the Gearbox by its reconciler.
      }
    }
    return rendered;
  }

  /** Reads ConfigMap keys of one namespace for the renderer. */
  public GearboxRenderer.SourceLookup lookup(String namespace) {
    return reference -> {
      ConfigMap configMap = client.configMaps().inNamespace(namespace).withName(reference.name()).get();
      return configMap == null || configMap.getData() == null ? null : configMap.getData().get(reference.key());
    };
  }
}
