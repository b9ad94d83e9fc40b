package io.erlmachine.operator.host;

import io.erlmachine.api.host.HostContract;
import io.erlmachine.operator.machine.EnginePodParts;
import io.erlmachine.operator.machine.EngineSettings;
import io.erlmachine.operator.machine.MachineObjects;
import io.erlmachine.operator.machine.PolicyPeers;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.EnvVarBuilder;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.ObjectMeta;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.api.model.Probe;
import io.fabric8.kubernetes.api.model.ProbeBuilder;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServiceAccount;
import io.fabric8.kubernetes.api.model.ServiceAccountBuilder;
import io.fabric8.kubernetes.api.model.ServiceBuilder;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.api.model.apps.StatefulSetBuilder;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicy;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyBuilder;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyEgressRule;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyEgressRuleBuilder;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyIngressRule;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyIngressRuleBuilder;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyPeer;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyPeerBuilder;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyPort;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudget;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudgetBuilder;
import io.fabric8.kubernetes.api.model.rbac.PolicyRuleBuilder;
import io.fabric8.kubernetes.api.model.rbac.Role;
import io.fabric8.kubernetes.api.model.rbac.RoleBinding;
import io.fabric8.kubernetes.api.model.rbac.RoleBindingBuilder;
import io.fabric8.kubernetes.api.model.rbac.RoleBuilder;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * The objects a namespace's engine hosts need, from the number of hosts in use and what their
 * machines need of the network. A pure function. All are named {@link HostContract#HOSTS}:
 * a StatefulSet (hosts are its pods), a headless Service, a ServiceAccount with a Role that
 * lets a host read ConfigMaps and hold its Lease and nothing else, a NetworkPolicy, and a
 * PodDisruptionBudget that lets a drain take one host at a time. The hosts' control token comes
 * from a Secret that is not part of it ({@link HostControlSecret}).
 */
public final class HostBlueprint {
  public static final String COMPONENT_LABEL = "app.kubernetes.io/component";
  /** Where a host keeps the configs it reads from the API (an emptyDir; the host writes it). */
  static final String CONFIG_DIR = "/var/lib/erlmachine/machines";
  /** The API server's usual ports; a NetworkPolicy cannot select the API server by name. */
  static final List<Integer> API_SERVER_PORTS = List.of(443, 6443);
  private static final String NAME_LABEL = "app.kubernetes.io/name";
  private static final String NAME = "erlmachine-engine-host";
  /**
   * A replacement host is ready once it holds its Lease (the engine's readiness at the host's port), and counts as
   * available this much later, so that a rolling update moves on only after its machines have started again.
   */
  static final int MIN_READY_SECONDS = 5;
  /** The engine finishes the messages it accepted within its drain timeout (20 s by default) before it exits. */
  static final long TERMINATION_GRACE_SECONDS = 30;

  private final EngineSettings engine;
  private final HostSettings hosts;

  public HostBlueprint(EngineSettings engine, HostSettings hosts) {
    this.engine = engine;
    this.hosts = hosts;
  }

  /** The labels that select host pods (and nothing else); sorted, so equal objects serialize equally. */
  public static Map<String, String> selector() {
    return new TreeMap<>(Map.of(NAME_LABEL, NAME, COMPONENT_LABEL, HostContract.COMPONENT));
  }

  public static Map<String, String> labels() {
    Map<String, String> labels = new TreeMap<>(selector());
    labels.put(MachineObjects.MANAGED_BY, MachineObjects.OPERATOR);
    return labels;
  }

  /** Every host object, in the order they are applied (identity and permissions before the pods that use them). */
  public List<HasMetadata> build(String namespace, int replicas, HostNeeds needs) {
    return List.of(serviceAccount(namespace), role(namespace), roleBinding(namespace), service(namespace),
        networkPolicy(namespace, needs), disruptionBudget(namespace), statefulSet(namespace, replicas));
  }

  private static ObjectMeta metadata(String namespace) {
    return new ObjectMetaBuilder().withName(HostContract.HOSTS).withNamespace(namespace).withLabels(labels()).build();
  }

  ServiceAccount serviceAccount(String namespace) {
    return new ServiceAccountBuilder().withMetadata(metadata(namespace)).withAutomountServiceAccountToken(false).build();
  }

  /** A host reads its machines' configs and holds its Lease, on which it reports them. */
  Role role(String namespace) {
    return new RoleBuilder()
        .withMetadata(metadata(namespace))
        .withRules(
            new PolicyRuleBuilder().withApiGroups("").withResources("configmaps").withVerbs("get", "list", "watch").build(),
            new PolicyRuleBuilder().withApiGroups("coordination.k8s.io").withResources("leases")
                .withVerbs("get", "list", "watch", "create", "update", "patch").build())
        .build();
  }

  RoleBinding roleBinding(String namespace) {
    return new RoleBindingBuilder()
        .withMetadata(metadata(namespace))
        .withNewRoleRef().withApiGroup("rbac.authorization.k8s.io").withKind("Role").withName(HostContract.HOSTS).endRoleRef()
        .addNewSubject().withKind("ServiceAccount").withName(HostContract.HOSTS).withNamespace(namespace).endSubject()
        .build();
  }

  /** Headless: gives each host pod a stable DNS name; machines are reached through their own Services. */
  Service service(String namespace) {
    return new ServiceBuilder()
        .withMetadata(metadata(namespace))
        .withNewSpec()
          .withClusterIP("None")
          .withSelector(selector())
          .addNewPort().withName("http").withProtocol("TCP").withPort(HostContract.HOST_PORT).endPort()
        .endSpec()
        .build();
  }

  /**
   * Deny by default. In: the operator's namespace and scrapers to the host and machine ports; the
   * machines' inboundFrom sources and transmission senders to machine ports. Out: DNS, the API
   * server, transmission targets, and the union of the machines' outbound ports.
   */
  NetworkPolicy networkPolicy(String namespace, HostNeeds needs) {
    NetworkPolicyPort machinePorts = PolicyPeers.machinePorts(hosts.machinesPerHost());
    List<NetworkPolicyIngressRule> ingress = new ArrayList<>();
    ingress.add(new NetworkPolicyIngressRuleBuilder().withFrom(PolicyPeers.trusted(engine))
        .withPorts(PolicyPeers.tcp(HostContract.HOST_PORT), machinePorts).build());
    if (!needs.inboundFrom().isEmpty()) {
      ingress.add(new NetworkPolicyIngressRuleBuilder().withFrom(PolicyPeers.sources(needs.inboundFrom())).withPorts(machinePorts).build());
    }
    if (!needs.receivesFrom().isEmpty()) {
      ingress.add(new NetworkPolicyIngressRuleBuilder().withFrom(PolicyPeers.machinePods(new TreeSet<>(needs.receivesFrom())), PolicyPeers.hostPods())
          .withPorts(machinePorts).build());
    }
    List<NetworkPolicyEgressRule> egress = new ArrayList<>();
    egress.add(PolicyPeers.dns());
    PolicyPeers.anywhereOn(API_SERVER_PORTS).ifPresent(egress::add);
    if (!needs.sendsTo().isEmpty()) {
      egress.add(new NetworkPolicyEgressRuleBuilder().withTo(PolicyPeers.machinePods(new TreeSet<>(needs.sendsTo())))
          .withPorts(PolicyPeers.tcp(MachineObjects.HTTP_PORT)).build());
      egress.add(new NetworkPolicyEgressRuleBuilder().withTo(PolicyPeers.hostPods()).withPorts(machinePorts).build());
    }
    PolicyPeers.anywhereOn(new TreeSet<>(needs.outboundPorts())).ifPresent(egress::add);
    return new NetworkPolicyBuilder()
        .withMetadata(metadata(namespace))
        .withNewSpec()
          .withNewPodSelector().withMatchLabels(selector()).endPodSelector()
          .withPolicyTypes("Ingress", "Egress")
          .withIngress(ingress)
          .withEgress(egress)
        .endSpec()
        .build();
  }

  /**
   * Voluntary disruptions (a node drain, any eviction) take one host at a time: while one is away, evicting another is
   * refused (429) until the first is back and ready. A host that is not ready may always be evicted, so a broken host
   * never blocks a drain.
   */
  PodDisruptionBudget disruptionBudget(String namespace) {
    return new PodDisruptionBudgetBuilder()
        .withMetadata(metadata(namespace))
        .withNewSpec()
          .withMaxUnavailable(new IntOrString(1))
          .withNewSelector().withMatchLabels(selector()).endSelector()
          .withUnhealthyPodEvictionPolicy("AlwaysAllow")
        .endSpec()
        .build();
  }

  StatefulSet statefulSet(String namespace, int replicas) {
    return new StatefulSetBuilder()
        .withMetadata(metadata(namespace))
        .withNewSpec()
          .withReplicas(replicas)
          .withServiceName(HostContract.HOSTS)
          .withPodManagementPolicy("Parallel")
          // One host at a time, highest first; the next goes once the new one holds its Lease (readiness) for a while.
          .withNewUpdateStrategy().withType("RollingUpdate").withNewRollingUpdate().withPartition(0).endRollingUpdate().endUpdateStrategy()
          .withMinReadySeconds(MIN_READY_SECONDS)
          .withNewSelector().withMatchLabels(selector()).endSelector()
          .withNewTemplate()
            .withNewMetadata().withLabels(labels()).endMetadata()
            .withNewSpec()
              .withServiceAccountName(HostContract.HOSTS)
              .withAutomountServiceAccountToken(true)
              .withEnableServiceLinks(false)
              .withTerminationGracePeriodSeconds(TERMINATION_GRACE_SECONDS)
              .withSecurityContext(EnginePodParts.podSecurity())
              .addNewContainer()
                .withName("engine")
                .withImage(engine.image())
                .withImagePullPolicy(engine.pullPolicy())
                .withEnv(environment())
                .addNewPort().withName("http").withContainerPort(HostContract.HOST_PORT).withProtocol("TCP").endPort()
                .withNewResources()
                  .addToRequests("cpu", new Quantity(hosts.cpuRequest()))
                  .addToRequests("memory", new Quantity(hosts.memoryRequest()))
                  .addToLimits("memory", new Quantity(hosts.memoryLimit()))
                .endResources()
                .withSecurityContext(EnginePodParts.containerSecurity())
                // One pod, many machines: the pod's readiness is the host's, each machine's is in its EndpointSlice.
                .withReadinessProbe(hostReadiness())
                .withStartupProbe(EnginePodParts.startupProbe())
                .withLivenessProbe(EnginePodParts.httpProbe("/q/health/live", 6))
                .addNewVolumeMount().withName("machines").withMountPath(CONFIG_DIR).endVolumeMount()
                .addNewVolumeMount().withName("tmp").withMountPath("/tmp").endVolumeMount()
              .endContainer()
              .addNewVolume().withName("machines").withNewEmptyDir().withSizeLimit(new Quantity("256Mi")).endEmptyDir().endVolume()
              .addNewVolume().withName("tmp").withNewEmptyDir().withSizeLimit(new Quantity("64Mi")).endEmptyDir().endVolume()
            .endSpec()
          .endTemplate()
        .endSpec()
        .build();
  }

  /**
   * Ready while the host holds its Lease (the engine's readiness at the host's port says only that; no machine's own
   * readiness is in it, so one failing machine does not take its neighbours' endpoints away). Asked every 2 s: a
   * replacement host's machines get their endpoints back soon after it took the Lease.
   */
  static Probe hostReadiness() {
    return new ProbeBuilder().withNewHttpGet().withPath("/q/health/ready").withPort(new IntOrString("http")).endHttpGet()
        .withPeriodSeconds(2).withTimeoutSeconds(2).withFailureThreshold(3).build();
  }

  private static List<EnvVar> environment() {
    return List.of(
        new EnvVarBuilder().withName("POD_NAME").withNewValueFrom().withNewFieldRef().withFieldPath("metadata.name").endFieldRef().endValueFrom().build(),
        new EnvVarBuilder().withName("POD_NAMESPACE").withNewValueFrom().withNewFieldRef().withFieldPath("metadata.namespace").endFieldRef().endValueFrom().build(),
        new EnvVarBuilder().withName("ERLMACHINE_ENGINE_HOST_CLUSTER_ENABLED").withValue("true").build(),
        new EnvVarBuilder().withName("ERLMACHINE_ENGINE_CONFIG_FILE").withValue(CONFIG_DIR).build(),
        HostControlSecret.environment());
  }
}
