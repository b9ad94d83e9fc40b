package io.erlmachine.operator.machine;

import io.erlmachine.api.config.MachineConfig;
import io.erlmachine.api.config.MachineConfigCodec;
import io.erlmachine.api.config.MachineConfigRenderer;
import io.erlmachine.api.v1alpha1.ApiGroup;
import io.erlmachine.api.v1alpha1.Machine;
import io.erlmachine.api.v1alpha1.spec.MachineResources;
import io.erlmachine.api.v1alpha1.spec.MachineSpec;
import io.erlmachine.api.v1alpha1.spec.ResourceAmounts;
import io.erlmachine.api.v1alpha1.spec.TrafficSource;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.LabelSelector;
import io.fabric8.kubernetes.api.model.LabelSelectorBuilder;
import io.fabric8.kubernetes.api.model.Probe;
import io.fabric8.kubernetes.api.model.ProbeBuilder;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.ResourceRequirements;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServiceAccount;
import io.fabric8.kubernetes.api.model.ServiceAccountBuilder;
import io.fabric8.kubernetes.api.model.ServiceBuilder;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.api.model.apps.StatefulSetBuilder;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicy;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyBuilder;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyIngressRule;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyIngressRuleBuilder;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyPeer;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyPeerBuilder;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyEgressRuleBuilder;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyEgressRule;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Computes every object a Machine owns from the Machine, its serial number and resolved
 * references, and the operator settings. A pure function: no API calls, no side effects.
 */
public final class MachineBlueprint {
  static final String CONFIG_DIR = "/etc/erlmachine";
  static final long ENGINE_UID = 10001L;

  private final EngineSettings settings;
  private final MachineConfigRenderer renderer = new MachineConfigRenderer();

  public MachineBlueprint(EngineSettings settings) {
    this.settings = settings;
  }

  public String dnsName(Machine machine) {
    return MachineObjects.dnsName(machine, settings.clusterDomain());
  }

  public DesiredMachineObjects build(Machine machine, long serial, Map<String, String> applicationData) {
    return build(machine, serial, applicationData, List.of(), MachineTransmissions.Wiring.NONE);
  }

  public DesiredMachineObjects build(Machine machine, long serial, Map<String, String> applicationData,
                                     List<MachineConfig.GearboxConfig> gearboxes, MachineTransmissions.Wiring wiring) {
    return new DesiredMachineObjects(serviceAccount(machine), config(machine, serial, applicationData, gearboxes, wiring.routes()),
        service(machine),
        networkPolicy(machine, wiring), engine(machine));
  }

  ServiceAccount serviceAccount(Machine machine) {
    return new ServiceAccountBuilder()
        .withMetadata(MachineObjects.metadata(machine, MachineObjects.serviceAccountName(machine)))
        .withAutomountServiceAccountToken(false)
        .build();
  }

  ConfigMap config(Machine machine, long serial, Map<String, String> applicationData, List<MachineConfig.GearboxConfig> gearboxes,
                   List<MachineConfig.RouteConfig> routes) {
    var inputs = new MachineConfigRenderer.Inputs(serial, dnsName(machine), applicationData, gearboxes, routes);
    return new ConfigMapBuilder()
        .withMetadata(MachineObjects.metadata(machine, MachineObjects.configMapName(machine)))
        .withData(Map.of(MachineObjects.CONFIG_KEY, MachineConfigCodec.toYaml(renderer.render(machine, inputs))))
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

  /** Deny by default; let in the operator's namespace, metrics scrapers and the sources the spec allows; let out DNS and the permitted hosts. */
  NetworkPolicy networkPolicy(Machine machine, MachineTransmissions.Wiring wiring) {
    List<NetworkPolicyPeer> trusted = new ArrayList<>();
    trusted.add(namespacePeer(settings.operatorNamespace()));
    settings.scraperNamespaces().forEach(namespace -> trusted.add(namespacePeer(namespace)));
    List<NetworkPolicyIngressRule> ingress = new ArrayList<>();
    ingress.add(new NetworkPolicyIngressRuleBuilder().withFrom(trusted).addNewPort().withProtocol("TCP").withPort(new IntOrString(MachineObjects.HTTP_PORT)).endPort().build());
    List<TrafficSource> inboundFrom = spec(machine).permissions() == null ? null : spec(machine).permissions().inboundFrom();
    if (inboundFrom != null && !inboundFrom.isEmpty()) {
      List<NetworkPolicyPeer> peers = inboundFrom.stream()
          .map(source -> new NetworkPolicyPeerBuilder().withNamespaceSelector(source.namespaceSelector()).withPodSelector(source.podSelector()).build())
          .toList();
      ingress.add(new NetworkPolicyIngressRuleBuilder().withFrom(peers).addNewPort().withProtocol("TCP").withPort(new IntOrString(MachineObjects.HTTP_PORT)).endPort().build());
    }
    if (!wiring.receivesFrom().isEmpty()) {
      ingress.add(new NetworkPolicyIngressRuleBuilder().withFrom(machinePods(wiring.receivesFrom()))
          .addNewPort().withProtocol("TCP").withPort(new IntOrString(MachineObjects.HTTP_PORT)).endPort().build());
    }
    List<NetworkPolicyEgressRule> egress = new ArrayList<>();
    egress.add(new NetworkPolicyEgressRuleBuilder()
        .addNewTo().withNamespaceSelector(new LabelSelector()).withPodSelector(new LabelSelectorBuilder().addToMatchLabels("k8s-app", "kube-dns").build()).endTo()
        .addNewPort().withProtocol("UDP").withPort(new IntOrString(53)).endPort()
        .addNewPort().withProtocol("TCP").withPort(new IntOrString(53)).endPort()
        .build());
    if (!wiring.sendsTo().isEmpty()) {
      egress.add(new NetworkPolicyEgressRuleBuilder().withTo(machinePods(wiring.sendsTo()))
          .addNewPort().withProtocol("TCP").withPort(new IntOrString(MachineObjects.HTTP_PORT)).endPort().build());
    }
    List<Integer> outboundPorts = OutboundHosts.ports(spec(machine).permissions());
    if (!outboundPorts.isEmpty()) {
      var rule = new NetworkPolicyEgressRuleBuilder();
      outboundPorts.forEach(port -> rule.addNewPort().withProtocol("TCP").withPort(new IntOrString(port)).endPort());
      egress.add(rule.build());
    }
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
              .withNewSecurityContext()
                .withRunAsNonRoot(true).withRunAsUser(ENGINE_UID).withRunAsGroup(ENGINE_UID).withFsGroup(ENGINE_UID)
                .withNewSeccompProfile().withType("RuntimeDefault").endSeccompProfile()
              .endSecurityContext()
              .addNewContainer()
                .withName("engine")
                .withImage(settings.image())
                .withImagePullPolicy(settings.pullPolicy())
                .addNewEnv().withName("ERLMACHINE_CONFIG").withValue(CONFIG_DIR + "/" + MachineObjects.CONFIG_KEY).endEnv()
                .addNewPort().withName("http").withContainerPort(MachineObjects.HTTP_PORT).withProtocol("TCP").endPort()
                .withResources(resources(machine))
                .withNewSecurityContext()
                  .withAllowPrivilegeEscalation(false).withReadOnlyRootFilesystem(true).withRunAsNonRoot(true)
                  .withNewCapabilities().withDrop("ALL").endCapabilities()
                .endSecurityContext()
                .withReadinessProbe(httpProbe("/q/health/ready", 3))
                .withStartupProbe(startupProbe())
                .withLivenessProbe(httpProbe("/q/health/live", 6))
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

  /** The engine pods of the named machines of the same namespace (transmission peers). */
  private static NetworkPolicyPeer machinePods(java.util.Set<String> machines) {
    return new NetworkPolicyPeerBuilder().withNewPodSelector().addNewMatchExpression().withKey(ApiGroup.MACHINE_LABEL)
        .withOperator("In").withValues(List.copyOf(machines)).endMatchExpression().endPodSelector().build();
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

  /**
   * Up to five minutes for the JVM and the JIT to start (a loaded node can take minutes) before
   * the liveness probe may restart the engine; liveness and readiness only start after it.
   */
  private static Probe startupProbe() {
    return new ProbeBuilder().withNewHttpGet().withPath("/q/health/live").withPort(new IntOrString("http")).endHttpGet()
        .withPeriodSeconds(5).withTimeoutSeconds(2).withFailureThreshold(60).build();
  }

  private static Probe httpProbe(String path, int failureThreshold) {
    return new ProbeBuilder().withNewHttpGet().withPath(path).withPort(new IntOrString("http")).endHttpGet()
        .withPeriodSeconds(10).withTimeoutSeconds(2).withFailureThreshold(failureThreshold).build();
  }

  private static NetworkPolicyPeer namespacePeer(String namespace) {
    return new NetworkPolicyPeerBuilder()
        .withNewNamespaceSelector().addToMatchLabels("kubernetes.io/metadata.name", namespace).endNamespaceSelector()
        .build();
  }

  private static MachineSpec spec(Machine machine) {
    return Objects.requireNonNullElseGet(machine.getSpec(), () -> new MachineSpec(null, null, null, null, null, null));
  }
}
