package io.erlmachine.operator.machine;

import io.erlmachine.api.v1alpha1.ApiGroup;
import io.erlmachine.api.v1alpha1.spec.TrafficSource;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.LabelSelector;
import io.fabric8.kubernetes.api.model.LabelSelectorBuilder;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyEgressRule;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyEgressRuleBuilder;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyPeer;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyPeerBuilder;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyPort;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyPortBuilder;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Optional;

/** The pieces the NetworkPolicies of dedicated engines and of engine hosts are made of. */
public final class PolicyPeers {
  private PolicyPeers() {
  }

  /** The operator's namespace and the metrics scrapers'. */
  public static List<NetworkPolicyPeer> trusted(EngineSettings settings) {
    List<NetworkPolicyPeer> trusted = new ArrayList<>();
    trusted.add(namespace(settings.operatorNamespace()));
    settings.scraperNamespaces().forEach(namespace -> trusted.add(namespace(namespace)));
    return trusted;
  }

  public static NetworkPolicyPeer namespace(String namespace) {
    return new NetworkPolicyPeerBuilder()
        .withNewNamespaceSelector().addToMatchLabels("kubernetes.io/metadata.name", namespace).endNamespaceSelector()
        .build();
  }

  /** The sources a machine's spec.permissions.inboundFrom names. */
  public static List<NetworkPolicyPeer> sources(Collection<TrafficSource> inboundFrom) {
    return inboundFrom.stream()
        .map(source -> new NetworkPolicyPeerBuilder().withNamespaceSelector(source.namespaceSelector()).withPodSelector(source.podSelector()).build())
        .toList();
  }

  /** The dedicated engine pods of the named machines of the same namespace (transmission peers). */
  public static NetworkPolicyPeer machinePods(Collection<String> machines) {
    return new NetworkPolicyPeerBuilder().withNewPodSelector().addNewMatchExpression().withKey(ApiGroup.MACHINE_LABEL)
        .withOperator("In").withValues(List.copyOf(machines)).endMatchExpression().endPodSelector().build();
  }

  /** The engine host pods of the same namespace: where the namespace's shared machines run. */
  public static NetworkPolicyPeer hostPods() {
    return new NetworkPolicyPeerBuilder().withNewPodSelector().withMatchLabels(io.erlmachine.operator.host.HostBlueprint.selector()).endPodSelector().build();
  }

  /** The ports of a host's machines. */
  public static NetworkPolicyPort machinePorts(int machinesPerHost) {
    return tcpRange(io.erlmachine.api.host.HostContract.FIRST_MACHINE_PORT, io.erlmachine.api.host.HostContract.FIRST_MACHINE_PORT + machinesPerHost - 1);
  }

  public static NetworkPolicyPort tcp(int port) {
    return new NetworkPolicyPortBuilder().withProtocol("TCP").withPort(new IntOrString(port)).build();
  }

  public static NetworkPolicyPort tcpRange(int first, int last) {
    return new NetworkPolicyPortBuilder().withProtocol("TCP").withPort(new IntOrString(first)).withEndPort(last).build();
  }

  /** Name lookups to the cluster DNS. */
  public static NetworkPolicyEgressRule dns() {
    return new NetworkPolicyEgressRuleBuilder()
        .addNewTo().withNamespaceSelector(new LabelSelector()).withPodSelector(new LabelSelectorBuilder().addToMatchLabels("k8s-app", "kube-dns").build()).endTo()
        .addNewPort().withProtocol("UDP").withPort(new IntOrString(53)).endPort()
        .addNewPort().withProtocol("TCP").withPort(new IntOrString(53)).endPort()
        .build();
  }

  /** Out to any destination on the given ports (a NetworkPolicy cannot name hosts; the engine enforces the names). */
  public static Optional<NetworkPolicyEgressRule> anywhereOn(Collection<Integer> ports) {
    if (ports.isEmpty()) {
      return Optional.empty();
    }
    return Optional.of(new NetworkPolicyEgressRuleBuilder().withPorts(ports.stream().map(PolicyPeers::tcp).toList()).build());
  }
}
