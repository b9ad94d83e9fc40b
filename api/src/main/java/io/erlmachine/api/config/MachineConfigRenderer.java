package io.erlmachine.api.config;

import io.erlmachine.api.v1alpha1.Machine;
import io.erlmachine.api.v1alpha1.spec.Clutch;
import io.erlmachine.api.v1alpha1.spec.EngineLimits;
import io.erlmachine.api.v1alpha1.spec.MachinePermissions;
import io.erlmachine.api.v1alpha1.spec.MachineSpec;
import io.fabric8.kubernetes.api.model.Quantity;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Renders a machine's config from its custom resource and what the operator (or local mode)
 * resolved around it. Pure: the same inputs give the same document, byte for byte.
 */
public final class MachineConfigRenderer {
  public static final int DEFAULT_MAILBOX_CAPACITY = 1000;
  public static final String DEFAULT_MAX_MESSAGE_SIZE = "1Mi";
  public static final String DEFAULT_MESSAGE_TIMEOUT = "2s";
  public static final long DEFAULT_STATEMENT_LIMIT = 10_000_000L;
  public static final int DEFAULT_MAX_GEARS = 256;

  /** What the renderer needs besides the Machine itself. */
  public record Inputs(long serial, String dnsName, Map<String, String> applicationData,
                       List<MachineConfig.GearboxConfig> gearboxes, List<MachineConfig.RouteConfig> routes) {
    public Inputs {
      applicationData = applicationData == null ? Map.of() : Map.copyOf(applicationData);
      gearboxes = gearboxes == null ? List.of() : List.copyOf(gearboxes);
      routes = routes == null ? List.of() : List.copyOf(routes);
    }
  }

  public MachineConfig render(Machine machine, Inputs inputs) {
    MachineSpec spec = Objects.requireNonNullElseGet(machine.getSpec(), () -> new MachineSpec(null, null, null, null, null, null));
    MachinePermissions permissions = spec.permissions();
    return new MachineConfig(
        MachineConfig.FORMAT,
        new MachineConfig.Identity(machine.getMetadata().getName(), machine.getMetadata().getNamespace(), inputs.serial(), inputs.dnsName()),
        Objects.requireNonNullElse(spec.clutch(), Clutch.Engaged).name(),
        limits(spec.limits()),
        permissions == null || permissions.outboundHosts() == null ? List.of()
            : permissions.outboundHosts().stream().map(h -> h.port() == null ? h.host() : h.host() + ":" + h.port()).toList(),
        new java.util.TreeMap<>(inputs.applicationData()),
        inputs.gearboxes(),
        inputs.routes());
  }

  static MachineConfig.Limits limits(EngineLimits limits) {
    EngineLimits given = Objects.requireNonNullElseGet(limits, () -> new EngineLimits(null, null, null, null, null, null));
    return new MachineConfig.Limits(
        Objects.requireNonNullElse(given.mailboxCapacity(), DEFAULT_MAILBOX_CAPACITY),
        Quantity.getAmountInBytes(new Quantity(Objects.requireNonNullElse(given.maxMessageSize(), DEFAULT_MAX_MESSAGE_SIZE))).longValueExact(),
        Durations.toMillis(Objects.requireNonNullElse(given.messageTimeout(), DEFAULT_MESSAGE_TIMEOUT)),
        Objects.requireNonNullElse(given.statementLimit(), DEFAULT_STATEMENT_LIMIT),
        Objects.requireNonNullElse(given.maxGears(), DEFAULT_MAX_GEARS),
        given.maxRetainedHeap() == null ? 0 : Quantity.getAmountInBytes(new Quantity(given.maxRetainedHeap())).longValueExact());
  }
}
