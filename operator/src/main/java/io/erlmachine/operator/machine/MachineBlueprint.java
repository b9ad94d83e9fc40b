package io.erlmachine.operator.machine;

import io.erlmachine.api.config.MachineConfig;
import io.erlmachine.api.config.MachineConfigCodec;
import io.erlmachine.api.config.MachineConfigRenderer;
import io.erlmachine.api.host.HostContract;
import io.erlmachine.api.v1alpha1.Machine;
import io.erlmachine.api.v1alpha1.spec.MachineResources;
import io.erlmachine.api.v1alpha1.spec.MachineSpec;
import io.erlmachine.api.v1alpha1.spec.ResourceAmounts;
import io.erlmachine.api.v1alpha1.spec.TrafficSource;
import io.erlmachine.operator.host.Placement;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.ObjectMeta;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.ResourceRequirements;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServiceAccount;
import io.fabric8.kubernetes.api.model.ServiceAccountBuilder;
import io.fabric8.kubernetes.api.model.ServiceBuilder;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.api.model.apps.StatefulSetBuilder;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointSlice;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointSliceBuilder;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicy;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyBuilder;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyEgressRule;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyEgressRuleBuilder;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyIngressRule;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyIngressRuleBuilder;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Predicate;

/**
 * Computes every object a Machine owns from the Machine, its serial number and resolved
 * references, and the operator settings. A pure function: no API calls, no side effects.
 * A dedicated machine owns a ServiceAccount, its config, a Service selecting its pod, a
 * NetworkPolicy and a StatefulSet; a shared machine owns its config (labelled with its host),
 * a Service without a selector and the EndpointSlice that points it at its host.
 */
public final class MachineBlueprint {
  static final String CONFIG_DIR = "/etc/erlmachine";
  /** The label the EndpointSlice controller and kube-proxy read: which Service a slice serves, and who manages it. */
  static final String SERVICE_NAME_LABEL = "kubernetes.io/service-name";
  static final String SLICE_MANAGED_BY_LABEL = "endpointslice.kubernetes.io/managed-by";
  static final String SLICE_MANAGER = "erlmachine.io";

  private final EngineSettings settings;
  private final int machinesPerHost;
  private final MachineConfigRenderer renderer = new MachineConfigRenderer();

  /** A shared machine's seat: its placement, and its host pod's address once the pod has one. */
  public record Seat(Placement placement, Optional<HostEndpoint> endpoint) {
  }

  /** The host pod that runs a shared machine; {@code ready}: the pod is ready and the host reports the machine ready. */
  public record HostEndpoint(String pod, String ip, String nodeName, boolean ready) {
  }

  public MachineBlueprint(EngineSettings settings) {
    this(settings, 200);
  }

  /** With the number of machine ports a host has (a dedicated machine's NetworkPolicy opens them towards shared peers). */
  public MachineBlueprint(EngineSettings settings, int machinesPerHost) {
    this.settings = settings;
    this.machinesPerHost = machinesPerHost;
  }

  public String dnsName(Machine machine) {
    return MachineObjects.dnsName(machine, settings.clusterDomain());
  }

  public DesiredMachineObjects build(Machine machine, long serial, Map<String, String> applicationData) {
    return build(machine, serial, applicationData, List.of(), MachineTransmissions.Wiring.NONE);
  }

  public DesiredMachineObjects build(Machine machine, long serial, Map<String, String> applicationData,
                                     List<MachineConfig.GearboxConfig> gearboxes, MachineTransmissions.Wiring wiring) {
    return build(machine, serial, applicationData, gearboxes, wiring, peer -> false);
  }

  /** A dedicated machine's objects; {@code shared} tells which of its transmission peers run on shared hosts. */
  public DesiredMachineObjects build(Machine machine, long serial, Map<String, String> applicationData,
                                     List<MachineConfig.GearboxConfig> gearboxes, MachineTransmissions.Wiring wiring, Predicate<String> shared) {
    ConfigMap config = config(machine, MachineObjects.metadata(machine, MachineObjects.configMapName(machine)),
        render(machine, serial, applicationData, gearboxes, wiring.routes()));
    return new DesiredMachineObjects(serviceAccount(machine), config, service(machine), networkPolicy(machine, wiring, shared), engine(machine), null);
  }

  /**
   * A shared machine's objects. Its config carries its host's name (which makes the host run it)
   * only when {@code hostMayRun}: not while the machine still runs where it was before.
   */
  public DesiredMachineObjects buildShared(Machine machine, long serial, Map<String, String> applicationData,
                                           List<MachineConfig.GearboxConfig> gearboxes, MachineTransmissions.Wiring wiring, Seat seat,
                                           boolean hostMayRun) {
    Placement placement = seat.placement();
    MachineConfig rendered = render(machine, serial, applicationData, gearboxes, wiring.routes())
        .withListener(new MachineConfig.Listener("0.0.0.0", placement.port()));
    ObjectMetaBuilder metadataBuilder = new ObjectMetaBuilder(MachineObjects.metadata(machine, MachineObjects.configMapName(machine)));
    if (hostMayRun) {
      metadataBuilder.addToLabels(HostContract.HOST_LABEL, placement.hostName());
    }
    ObjectMeta metadata = metadataBuilder
        .addToAnnotations(HostContract.GENERATION_ANNOTATION, Long.toString(Objects.requireNonNullElse(machine.getMetadata().getGeneration(), 0L)))
        .build();
    return new DesiredMachineObjects(null, config(machine, metadata, rendered), hostedService(machine, placement), null, null,
        endpointSlice(machine, seat));
  }

  ServiceAccount serviceAccount(Machine machine) {
    return new ServiceAccountBuilder()
        .withMetadata(MachineObjects.metadata(machine, MachineObjects.serviceAccountName(machine)))
        .withAutomountServiceAccountToken(false)
        .build();
  }

  private MachineConfig render(Machine machine, long serial, Map<String, String> applicationData, List<MachineConfig.GearboxConfig> gearboxes,
                               List<MachineConfig.RouteConfig> routes) {
    return renderer.render(machine, new MachineConfigRenderer.Inputs(serial, dnsName(machine), applicationData, gearboxes, routes));
  }

  private static ConfigMap config(Machine machine, ObjectMeta metadata, MachineConfig rendered) {
    return new ConfigMapBuilder()
        .withMetadata(metadata)
        .withData(Map.of(MachineObjects.CONFIG_KEY, MachineConfigCodec.toYaml(rendered)))
        .build();
  }

  Service service(Machine machine) {
    return new ServiceBuilder()
        .withMetadata(MachineObjects.metadata(machine, MachineObjects.serviceName(machine)))
        .withNewSpec()
          .withType("ClusterIP")
          .withSelector(MachineObjects.selector(machine))
          .addNewPort().withName("http").withProtocol("TCP").withPort(80).withTargetPort(new IntOrString("http")).endPort()
        .endSpec()
        .build();
  }

  /** No selector: the operator's EndpointSlice says where the machine answers. Port 80, as for a dedicated machine. */
  Service hostedService(Machine machine, Placement placement) {
    return new ServiceBuilder()
        .withMetadata(MachineObjects.metadata(machine, MachineObjects.serviceName(machine)))
        .withNewSpec()
          .withType("ClusterIP")
          .addNewPort().withName("http").withProtocol("TCP").withPort(80).withTargetPort(new IntOrString(placement.port())).endPort()
        .endSpec()
        .build();
  }

  /** The machine's one endpoint: its host pod's address and its own port, ready only when the pod and the machine are. */
  EndpointSlice endpointSlice(Machine machine, Seat seat) {
    ObjectMeta metadata = new ObjectMetaBuilder(MachineObjects.metadata(machine, MachineObjects.serviceName(machine)))
        .addToLabels(SERVICE_NAME_LABEL, MachineObjects.serviceName(machine))
        .addToLabels(SLICE_MANAGED_BY_LABEL, SLICE_MANAGER)
        .build();
    var slice = new EndpointSliceBuilder()
        .withMetadata(metadata)
        .withAddressType("IPv4")
        .addNewPort().withName("http").withProtocol("TCP").withPort(seat.placement().port()).endPort();
    seat.endpoint().ifPresent(host -> slice.addNewEndpoint()
        .withAddresses(host.ip())
        .withNodeName(host.nodeName())
        .withNewConditions().withReady(host.ready()).withServing(host.ready()).withTerminating(false).endConditions()
        .withNewTargetRef().withKind("Pod").withName(host.pod()).withNamespace(machine.getMetadata().getNamespace()).endTargetRef()
        .endEndpoint());
    return slice.build();
  }

  /** Deny by default; let in the operator's namespace, metrics scrapers and the sources the spec allows; let out DNS and the permitted hosts. */
  NetworkPolicy networkPolicy(Machine machine, MachineTransmissions.Wiring wiring) {
    return networkPolicy(machine, wiring, peer -> false);
  }

  /** Peers on shared hosts are reached at, and send from, the namespace's host pods (on the hosts' machine ports). */
  NetworkPolicy networkPolicy(Machine machine, MachineTransmissions.Wiring wiring, Predicate<String> shared) {
    List<NetworkPolicyIngressRule> ingress = new ArrayList<>();
    ingress.add(new NetworkPolicyIngressRuleBuilder().withFrom(PolicyPeers.trusted(settings)).withPorts(PolicyPeers.tcp(MachineObjects.HTTP_PORT)).build());
    List<TrafficSource> inboundFrom = spec(machine).permissions() == null ? null : spec(machine).permissions().inboundFrom();
    if (inboundFrom != null && !inboundFrom.isEmpty()) {
      ingress.add(new NetworkPolicyIngressRuleBuilder().withFrom(PolicyPeers.sources(inboundFrom)).withPorts(PolicyPeers.tcp(MachineObjects.HTTP_PORT)).build());
    }
    if (!wiring.receivesFrom().isEmpty()) {
      ingress.add(new NetworkPolicyIngressRuleBuilder().withFrom(PolicyPeers.machinePods(wiring.receivesFrom()))
          .withPorts(PolicyPeers.tcp(MachineObjects.HTTP_PORT)).build());
      if (wiring.receivesFrom().stream().anyMatch(shared)) {
        ingress.add(new NetworkPolicyIngressRuleBuilder().withFrom(PolicyPeers.hostPods()).withPorts(PolicyPeers.tcp(MachineObjects.HTTP_PORT)).build());
      }
    }
    List<NetworkPolicyEgressRule> egress = new ArrayList<>();
    egress.add(PolicyPeers.dns());
    if (!wiring.sendsTo().isEmpty()) {
      egress.add(new NetworkPolicyEgressRuleBuilder().withTo(PolicyPeers.machinePods(wiring.sendsTo()))
          .withPorts(PolicyPeers.tcp(MachineObjects.HTTP_PORT)).build());
      if (wiring.sendsTo().stream().anyMatch(shared)) {
        egress.add(new NetworkPolicyEgressRuleBuilder().withTo(PolicyPeers.hostPods()).withPorts(PolicyPeers.machinePorts(machinesPerHost)).build());
      }
    }
    PolicyPeers.anywhereOn(OutboundHosts.ports(spec(machine).permissions())).ifPresent(egress::add);
    return new NetworkPolicyBuilder()
        .withMetadata(MachineObjects.metadata(machine, MachineObjects.serviceName(machine)))
        .withNewSpec()
          .withNewPodSelector().withMatchLabels(MachineObjects.selector(machine)).endPodSelector()
          .withPolicyTypes("Ingress", "Egress")
          .withIngress(ingress)
          .withEgress(egress)
        .endSpec()
        .build();
  }

  StatefulSet engine(Machine machine) {
    Map<String, String> labels = MachineObjects.labels(machine);
    return new StatefulSetBuilder()
        .withMetadata(MachineObjects.metadata(machine, MachineObjects.serviceName(machine)))
        .withNewSpec()
          .withReplicas(1)
          .withServiceName(MachineObjects.serviceName(machine))
          .withNewSelector().withMatchLabels(MachineObjects.selector(machine)).endSelector()
          .withNewTemplate()
            .withNewMetadata().withLabels(labels).endMetadata()
            .withNewSpec()
              .withServiceAccountName(MachineObjects.serviceAccountName(machine))
              .withAutomountServiceAccountToken(false)
              .withEnableServiceLinks(false)
              .withTerminationGracePeriodSeconds(10L)
              .withSecurityContext(EnginePodParts.podSecurity())
              .addNewContainer()
                .withName("engine")
                .withImage(settings.image())
                .withImagePullPolicy(settings.pullPolicy())
                .addNewEnv().withName("ERLMACHINE_CONFIG").withValue(CONFIG_DIR + "/" + MachineObjects.CONFIG_KEY).endEnv()
                .addNewPort().withName("http").withContainerPort(MachineObjects.HTTP_PORT).withProtocol("TCP").endPort()
                .withResources(resources(machine))
                .withSecurityContext(EnginePodParts.containerSecurity())
                .withReadinessProbe(EnginePodParts.httpProbe("/q/health/ready", 3))
                .withStartupProbe(EnginePodParts.startupProbe())
                .withLivenessProbe(EnginePodParts.httpProbe("/q/health/live", 6))
                .addNewVolumeMount().withName("config").withMountPath(CONFIG_DIR).withReadOnly(true).endVolumeMount()
                .addNewVolumeMount().withName("tmp").withMountPath("/tmp").endVolumeMount()
              .endContainer()
              .addNewVolume().withName("config").withNewConfigMap().withName(MachineObjects.configMapName(machine)).endConfigMap().endVolume()
              .addNewVolume().withName("tmp").withNewEmptyDir().withSizeLimit(new Quantity("64Mi")).endEmptyDir().endVolume()
            .endSpec()
          .endTemplate()
        .endSpec()
        .build();
  }

  ResourceRequirements resources(Machine machine) {
    MachineResources given = spec(machine).resources();
    ResourceAmounts requests = given == null ? null : given.requests();
    ResourceAmounts limits = given == null ? null : given.limits();
    String cpuLimit = limits == null ? null : limits.cpu();
    String givenMemoryLimit = limits == null ? null : limits.memory();
    Map<String, Quantity> requestMap = new LinkedHashMap<>();
    // A default request never exceeds a limit the user gave (as Kubernetes defaults a missing request to the limit).
    requestMap.put("cpu", new Quantity(requests != null && requests.cpu() != null ? requests.cpu() : atMost(settings.defaultCpuRequest(), cpuLimit)));
    requestMap.put("memory", new Quantity(requests != null && requests.memory() != null ? requests.memory()
        : atMost(settings.defaultMemoryRequest(), givenMemoryLimit)));
    Map<String, Quantity> limitMap = new LinkedHashMap<>();
    if (cpuLimit != null) {
      limitMap.put("cpu", new Quantity(cpuLimit));
    }
    String memoryLimit = givenMemoryLimit != null ? givenMemoryLimit : settings.defaultMemoryLimit();
    // A request above the default limit (with no limit given) must not produce an invalid pod.
    if (givenMemoryLimit == null && amount(memoryLimit).compareTo(amount(requestMap.get("memory").toString())) < 0) {
      memoryLimit = requestMap.get("memory").toString();
    }
    limitMap.put("memory", new Quantity(memoryLimit));
    return new io.fabric8.kubernetes.api.model.ResourceRequirementsBuilder().withRequests(requestMap).withLimits(limitMap).build();
  }

  private static String atMost(String value, String ceiling) {
    return ceiling != null && amount(ceiling).compareTo(amount(value)) < 0 ? ceiling : value;
  }

  private static java.math.BigDecimal amount(String quantity) {
    return Quantity.getAmountInBytes(new Quantity(quantity));
  }

  private static MachineSpec spec(Machine machine) {
    return Objects.requireNonNullElseGet(machine.getSpec(), () -> new MachineSpec(null, null, null, null, null, null));
  }
}
