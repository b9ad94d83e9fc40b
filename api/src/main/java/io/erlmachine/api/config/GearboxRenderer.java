package io.erlmachine.api.config;

import com.fasterxml.jackson.annotation.JsonProperty;
import io.erlmachine.api.v1alpha1.Gearbox;
import io.erlmachine.api.v1alpha1.spec.Clutch;
import io.erlmachine.api.v1alpha1.spec.CodeSource;
import io.erlmachine.api.v1alpha1.spec.ConfigMapKeyRef;
import io.erlmachine.api.v1alpha1.spec.GearSpec;
import io.erlmachine.api.v1alpha1.spec.GearboxSpec;
import io.erlmachine.api.v1alpha1.spec.Prototype;
import io.erlmachine.api.v1alpha1.spec.RestartPolicy;
import io.erlmachine.api.v1alpha1.spec.Tool;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Renders a Gearbox into the part of a machine config that runs it, with every source
 * resolved. Pure, like {@link MachineConfigRenderer}: the operator and local mode both use it.
 */
public final class GearboxRenderer {
  public static final int DEFAULT_MAX_RESTARTS = 5;
  public static final String DEFAULT_RESTART_WINDOW = "30s";

  /** Looks up the text of a ConfigMap key in the gearbox's namespace; null when it does not exist. */
  @FunctionalInterface
  public interface SourceLookup {
    String find(ConfigMapKeyRef reference);
  }

  /** A source the gearbox names that cannot be found. */
  public static final class MissingSourceException extends Exception {
    public MissingSourceException(String message) {
      super(message);
    }
  }

  public MachineConfig.GearboxConfig render(Gearbox gearbox, SourceLookup lookup) throws MissingSourceException {
    GearboxSpec spec = gearbox.getSpec();
    List<MachineConfig.GearConfig> gears = new ArrayList<>();
    for (GearSpec gear : spec.gears()) {
      gears.add(new MachineConfig.GearConfig(gear.name(), prototypeName(gear.prototype()),
          gear.source() == null ? null : resolve(gear.source(), lookup, "gear " + gear.name()),
          gear.params() == null || gear.params().isEmpty() ? null : new java.util.TreeMap<>(gear.params()),
          gear.mailboxCapacity(), gear.interval() == null ? null : Durations.toMillis(gear.interval())));
    }
    Map<String, String> tools = new LinkedHashMap<>();
    for (Tool tool : spec.tools() == null ? List.<Tool>of() : spec.tools()) {
      tools.put(tool.name(), resolve(tool.source(), lookup, "tool " + tool.name()));
    }
    RestartPolicy policy = Objects.requireNonNullElseGet(spec.restartPolicy(), () -> new RestartPolicy(null, null));
    return new MachineConfig.GearboxConfig(gearbox.getMetadata().getName(),
        Objects.requireNonNullElse(spec.clutch(), Clutch.Engaged).name(),
        gears,
        spec.shafts() == null ? List.of() : spec.shafts().stream().map(s -> new MachineConfig.ShaftConfig(s.from(), s.to())).toList(),
        tools,
        spec.selfTests() == null ? List.of() : spec.selfTests(),
        Objects.requireNonNullElse(policy.maxRestarts(), DEFAULT_MAX_RESTARTS),
        Durations.toMillis(Objects.requireNonNullElse(policy.window(), DEFAULT_RESTART_WINDOW)),
        !Boolean.FALSE.equals(spec.selfTestsGateReadiness()));
  }

  private static String resolve(CodeSource source, SourceLookup lookup, String owner) throws MissingSourceException {
    if (source.inline() != null) {
      return source.inline();
    }
    ConfigMapKeyRef reference = source.configMapKeyRef();
    String text = lookup.find(reference);
    if (text == null) {
      throw new MissingSourceException("the source of " + owner + " is key " + reference.key() + " of ConfigMap "
          + reference.name() + ", which does not exist: create it, or write the source inline");
    }
    return text;
  }

  /** The prototype as written in manifests (js, endpoint, ...). */
  public static String prototypeName(Prototype prototype) {
    try {
      return Prototype.class.getField(prototype.name()).getAnnotation(JsonProperty.class).value();
    } catch (NoSuchFieldException e) {
      throw new IllegalStateException("every prototype constant is a field", e);
    }
  }
}
