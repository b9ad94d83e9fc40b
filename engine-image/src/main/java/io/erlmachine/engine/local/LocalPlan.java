package io.erlmachine.engine.local;

import io.erlmachine.api.config.GearboxRenderer;
import io.erlmachine.api.config.MachineConfig;
import io.erlmachine.api.config.MachineConfigRenderer;
import io.erlmachine.api.config.TransmissionRenderer;
import io.erlmachine.api.manifests.LabelSelectors;
import io.erlmachine.api.manifests.ManifestSet;
import io.erlmachine.api.v1alpha1.Gearbox;
import io.erlmachine.api.v1alpha1.Machine;
import io.fabric8.kubernetes.api.model.ConfigMap;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.ToLongFunction;

/**
 * What local mode runs for a set of manifests: one engine per Machine, each on its own loopback
 * address, with the config the operator would render for it. Pure apart from the serial numbers
 * it is given.
 */
public final class LocalPlan {
  public static final String DEFAULT_NAMESPACE = "default";
  public static final String CLUSTER_DOMAIN = "cluster.local";
  /** Machines one local mode runs at most (each on an address of 127.0.0.0/8, which Linux answers on in full). */
  static final int MAX_MACHINES = 65_000;

  private final MachineConfigRenderer machineRenderer = new MachineConfigRenderer();
  private final GearboxRenderer gearboxRenderer = new GearboxRenderer();
  private final TransmissionRenderer transmissionRenderer = new TransmissionRenderer();

  /** One machine to run. */
  public record LocalMachine(String name, String namespace, long serial, String dnsName, String address, MachineConfig config) {
    public String key() {
      return namespace + "/" + name;
    }
  }

  /**
   * Plans every Machine in the set, in order of namespace and name. Serials come from the given
   * function (called once per machine); a machine answers at a loopback address that follows
   * from its serial: serial 1 at 127.0.0.10, 2 at 127.0.0.11, and on to 127.0.1.0 and beyond.
   */
  public List<LocalMachine> plan(ManifestSet manifests, ToLongFunction<String> serials) {
    List<Machine> machines = new ArrayList<>(manifests.machines());
    machines.sort(Comparator.comparing((Machine m) -> namespace(m.getMetadata().getNamespace())).thenComparing(m -> m.getMetadata().getName()));
    if (machines.size() > MAX_MACHINES) {
      throw new IllegalArgumentException("local mode runs at most " + MAX_MACHINES + " machines; the manifests declare " + machines.size());
    }
    machines.forEach(m -> m.getMetadata().setNamespace(namespace(m.getMetadata().getNamespace())));
    manifests.transmissions().forEach(t -> t.getMetadata().setNamespace(namespace(t.getMetadata().getNamespace())));
    List<TransmissionRenderer.MachineRef> refs = machines.stream().map(m -> TransmissionRenderer.MachineRef.of(m,
        TransmissionRenderer.dnsName(m.getMetadata().getName(), m.getMetadata().getNamespace(), CLUSTER_DOMAIN))).toList();
    List<LocalMachine> planned = new ArrayList<>();
    for (int i = 0; i < machines.size(); i++) {
      Machine machine = machines.get(i);
      String namespace = machine.getMetadata().getNamespace();
      String key = namespace + "/" + machine.getMetadata().getName();
      String dnsName = refs.get(i).dnsName();
      long serial = serials.applyAsLong(key);
      MachineConfig config = machineRenderer.render(machine, new MachineConfigRenderer.Inputs(serial, dnsName,
          applicationData(machine, manifests), gearboxes(machine, manifests),
          transmissionRenderer.routesFrom(refs.get(i), manifests.transmissions(), refs)));
      planned.add(new LocalMachine(machine.getMetadata().getName(), namespace, serial, dnsName, address(serial), config));
    }
    return planned;
  }

  /** A machine's loopback address, from its serial (never reused), so it keeps it when machines come and go. */
  static String address(long serial) {
    long n = 9 + serial;
    if (n >= 1 << 24) {
      throw new IllegalArgumentException("serial " + serial + " is past the loopback addresses local mode can give; delete its state"
          + " directory to number machines from 1 again");
    }
    return "127." + (n >> 16) + "." + ((n >> 8) & 0xff) + "." + (n & 0xff);
  }

  private List<MachineConfig.GearboxConfig> gearboxes(Machine machine, ManifestSet manifests) {
    List<MachineConfig.GearboxConfig> selected = new ArrayList<>();
    String namespace = machine.getMetadata().getNamespace();
    List<Gearbox> gearboxes = manifests.gearboxes().stream()
        .filter(g -> namespace(g.getMetadata().getNamespace()).equals(namespace))
        .filter(g -> machine.getSpec() != null && LabelSelectors.matches(machine.getSpec().gearboxSelector(), g.getMetadata().getLabels()))
        .sorted(Comparator.comparing(g -> g.getMetadata().getName()))
        .toList();
    for (Gearbox gearbox : gearboxes) {
      try {
        selected.add(gearboxRenderer.render(gearbox, reference -> configMap(manifests, namespace, reference.name())
            .map(c -> c.getData() == null ? null : c.getData().get(reference.key())).orElse(null)));
      } catch (GearboxRenderer.MissingSourceException e) {
        throw new IllegalArgumentException("gearbox " + gearbox.getMetadata().getName() + ": " + e.getMessage(), e);
      }
    }
    return selected;
  }

  private static Map<String, String> applicationData(Machine machine, ManifestSet manifests) {
    if (machine.getSpec() == null || machine.getSpec().applicationData() == null) {
      return Map.of();
    }
    String name = machine.getSpec().applicationData().name();
    return configMap(manifests, machine.getMetadata().getNamespace(), name)
        .map(c -> Objects.requireNonNullElse(c.getData(), Map.<String, String>of()))
        .orElseThrow(() -> new IllegalArgumentException("machine " + machine.getMetadata().getName()
            + ": spec.applicationData names ConfigMap " + name + ", which is not in the manifests"));
  }

  private static java.util.Optional<ConfigMap> configMap(ManifestSet manifests, String namespace, String name) {
    return manifests.configMaps().stream()
        .filter(c -> namespace(c.getMetadata().getNamespace()).equals(namespace) && name.equals(c.getMetadata().getName()))
        .findFirst();
  }

  private static String namespace(String namespace) {
    return namespace == null || namespace.isBlank() ? DEFAULT_NAMESPACE : namespace;
  }
}
