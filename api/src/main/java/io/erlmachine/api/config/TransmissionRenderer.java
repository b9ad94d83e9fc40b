package io.erlmachine.api.config;

import io.erlmachine.api.manifests.LabelSelectors;
import io.erlmachine.api.v1alpha1.Transmission;
import io.erlmachine.api.v1alpha1.spec.Clutch;
import io.erlmachine.api.v1alpha1.spec.DeliveryPolicy;
import io.erlmachine.api.v1alpha1.spec.Endpoint;
import io.erlmachine.api.v1alpha1.spec.TransmissionSpec;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Resolves Transmissions into the routes of one source machine: which of its gears' output
 * goes where, with every target machine's DNS name and the delivery policy filled in. Pure;
 * used by the operator and by local mode. Targets that appear later are picked up the next
 * time a machine's config is rendered.
 */
public final class TransmissionRenderer {
  public static final int DEFAULT_MAX_RETRIES = 5;
  public static final String DEFAULT_INITIAL_BACKOFF = "100ms";
  public static final String DEFAULT_MAX_BACKOFF = "10s";
  public static final String DEFAULT_TIMEOUT = "5s";

  /** What the renderer needs to know of a machine. */
  public record MachineRef(String name, String namespace, Map<String, String> labels, String dnsName) {
    public static MachineRef of(io.erlmachine.api.v1alpha1.Machine machine, String dnsName) {
      return new MachineRef(machine.getMetadata().getName(), machine.getMetadata().getNamespace(),
          Objects.requireNonNullElse(machine.getMetadata().getLabels(), Map.of()), dnsName);
    }
  }

  /** A machine's DNS name: its Service, named like the machine, in its namespace. */
  public static String dnsName(String machine, String namespace, String clusterDomain) {
    return machine + "." + namespace + ".svc." + clusterDomain;
  }

  /** The routes whose source gear runs on {@code source}, in transmission name order. */
  public List<MachineConfig.RouteConfig> routesFrom(MachineRef source, List<Transmission> transmissions, List<MachineRef> machines) {
    List<MachineConfig.RouteConfig> routes = new ArrayList<>();
    List<Transmission> sorted = transmissions.stream()
        .filter(t -> source.namespace().equals(t.getMetadata().getNamespace()))
        .sorted(Comparator.comparing(t -> t.getMetadata().getName()))
        .toList();
    for (Transmission transmission : sorted) {
      TransmissionSpec spec = transmission.getSpec();
      if (!selects(spec.from(), source)) {
        continue;
      }
      List<MachineConfig.TargetConfig> targets = new ArrayList<>();
      for (Endpoint to : spec.to()) {
        machines.stream()
            .filter(m -> m.namespace().equals(source.namespace()) && selects(to, m))
            .sorted(Comparator.comparing(MachineRef::name))
            .forEach(m -> targets.add(new MachineConfig.TargetConfig(m.name(), m.dnsName(), to.gearbox(), to.gear())));
      }
      routes.add(new MachineConfig.RouteConfig(transmission.getMetadata().getName(), spec.pattern().name(), spec.from().gearbox(),
          spec.from().gear(), targets, delivery(spec.delivery()), Objects.requireNonNullElse(spec.clutch(), Clutch.Engaged).name()));
    }
    return routes;
  }

  /** Whether an endpoint names or selects a machine. */
  public static boolean selects(Endpoint endpoint, MachineRef machine) {
    return endpoint.machine() != null ? endpoint.machine().equals(machine.name())
        : LabelSelectors.matches(endpoint.machineSelector(), machine.labels());
  }

  /** Whether a transmission sends from or to a machine. */
  public static boolean concerns(Transmission transmission, MachineRef machine) {
    return transmission.getMetadata().getNamespace().equals(machine.namespace())
        && (selects(transmission.getSpec().from(), machine) || transmission.getSpec().to().stream().anyMatch(to -> selects(to, machine)));
  }

  static MachineConfig.Delivery delivery(DeliveryPolicy policy) {
    DeliveryPolicy given = Objects.requireNonNullElseGet(policy, () -> new DeliveryPolicy(null, null, null, null, null));
    return new MachineConfig.Delivery(
        Objects.requireNonNullElse(given.maxRetries(), DEFAULT_MAX_RETRIES),
        Durations.toMillis(Objects.requireNonNullElse(given.initialBackoff(), DEFAULT_INITIAL_BACKOFF)),
        Durations.toMillis(Objects.requireNonNullElse(given.maxBackoff(), DEFAULT_MAX_BACKOFF)),
        Durations.toMillis(Objects.requireNonNullElse(given.timeout(), DEFAULT_TIMEOUT)),
        given.deadLetter() == null ? null : given.deadLetter().gearbox(),
        given.deadLetter() == null ? null : given.deadLetter().gear());
  }
}
