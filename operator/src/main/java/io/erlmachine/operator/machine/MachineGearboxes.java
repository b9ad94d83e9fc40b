package io.erlmachine.operator.machine;

import io.erlmachine.api.config.GearboxRenderer;
import io.erlmachine.api.config.MachineConfig;
import io.erlmachine.api.manifests.LabelSelectors;
import io.erlmachine.api.v1alpha1.Gearbox;
import io.erlmachine.api.v1alpha1.Machine;
import io.erlmachine.operator.gearbox.GearSyntax;
import io.erlmachine.operator.gearbox.GearboxProblem;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * The gearboxes a machine runs: those in its namespace that its gearboxSelector matches, in name
 * order, rendered with their sources resolved. A gearbox whose source is missing or does not
 * parse is left out (its own status says why) so that the machine's other gearboxes keep running:
 * an engine rejects a whole config with one bad gearbox in it.
 */
public final class MachineGearboxes {
  private final KubernetesClient client;
  private final GearSyntax syntax;
  private final GearboxRenderer renderer = new GearboxRenderer();

  public MachineGearboxes(KubernetesClient client, GearSyntax syntax) {
    this.client = client;
    this.syntax = syntax;
  }

  public static boolean selects(Machine machine, Gearbox gearbox) {
    return machine.getSpec() != null
        && machine.getMetadata().getNamespace().equals(gearbox.getMetadata().getNamespace())
        && LabelSelectors.matches(machine.getSpec().gearboxSelector(), gearbox.getMetadata().getLabels());
  }

  List<MachineConfig.GearboxConfig> render(Machine machine, Stream<Gearbox> inNamespace) {
    List<MachineConfig.GearboxConfig> rendered = new ArrayList<>();
    for (Gearbox gearbox : inNamespace.filter(g -> selects(machine, g)).sorted(Comparator.comparing(g -> g.getMetadata().getName())).toList()) {
      check(gearbox).config().ifPresent(rendered::add);
    }
    return rendered;
  }

  /** The gearbox rendered for an engine, or the problem that keeps it off every machine. */
  public Checked check(Gearbox gearbox) {
    MachineConfig.GearboxConfig config;
    try {
      config = renderer.render(gearbox, lookup(gearbox.getMetadata().getNamespace()));
    } catch (GearboxRenderer.MissingSourceException e) {
      return Checked.invalid(new GearboxProblem(GearboxProblem.SOURCE_NOT_FOUND, e.getMessage()));
    }
    List<String> syntaxErrors = new ArrayList<>();
    for (MachineConfig.GearConfig gear : config.gears()) {
      if (gear.source() != null) {
        syntax.problem(gear.name() + ".mjs", gear.source()).ifPresent(p -> syntaxErrors.add("gear " + gear.name() + ": " + p));
      }
    }
    config.tools().forEach((name, code) ->
        syntax.problem(name + ".mjs", code).ifPresent(p -> syntaxErrors.add("tool " + name + ": " + p)));
    return syntaxErrors.isEmpty() ? new Checked(Optional.of(config), Optional.empty())
        : Checked.invalid(new GearboxProblem(GearboxProblem.SYNTAX_ERROR, String.join("; ", syntaxErrors)));
  }

  /** Either a rendered gearbox or its problem. */
  public record Checked(Optional<MachineConfig.GearboxConfig> config, Optional<GearboxProblem> problem) {
    static Checked invalid(GearboxProblem problem) {
      return new Checked(Optional.empty(), Optional.of(problem));
    }
  }

  /** Reads ConfigMap keys of one namespace for the renderer. */
  public GearboxRenderer.SourceLookup lookup(String namespace) {
    return reference -> {
      ConfigMap configMap = client.configMaps().inNamespace(namespace).withName(reference.name()).get();
      return configMap == null || configMap.getData() == null ? null : configMap.getData().get(reference.key());
    };
  }
}
