package io.erlmachine.operator.host;

import static org.assertj.core.api.Assertions.assertThat;

import io.erlmachine.api.v1alpha1.spec.TrafficSource;
import io.erlmachine.operator.machine.EngineSettings;
import io.fabric8.kubernetes.api.model.LabelSelectorBuilder;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyPort;
import io.fabric8.kubernetes.api.model.rbac.PolicyRule;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class HostBlueprintTest {
  private static final EngineSettings ENGINE = new EngineSettings("registry.example/engine:1", "IfNotPresent", "cluster.example",
      "50m", "128Mi", "256Mi", "erlmachine-system", List.of("monitoring"));
  private static final HostSettings HOSTS = new HostSettings(200, "1Gi", "2Gi", "500m", 1536L << 20, 4L << 20);
  private final HostBlueprint blueprint = new HostBlueprint(ENGINE, HOSTS);

  @Test
  void hostPodsAreHardenedAndRunTheEngineInClusterHostMode() {
    var statefulSet = blueprint.statefulSet("shop", 3);
    assertThat(statefulSet.getSpec().getReplicas()).isEqualTo(3);
    var pod = statefulSet.getSpec().getTemplate().getSpec();
    assertThat(pod.getSecurityContext().getRunAsNonRoot()).isTrue();
    assertThat(pod.getSecurityContext().getSeccompProfile().getType()).isEqualTo("RuntimeDefault");
    var container = pod.getContainers().getFirst();
    assertThat(container.getSecurityContext().getReadOnlyRootFilesystem()).isTrue();
    assertThat(container.getSecurityContext().getCapabilities().getDrop()).containsExactly("ALL");
    assertThat(container.getEnv()).extracting(env -> env.getName())
        .containsExactlyInAnyOrder("POD_NAME", "POD_NAMESPACE", "ERLMACHINE_ENGINE_HOST_CLUSTER_ENABLED", "ERLMACHINE_ENGINE_CONFIG_FILE",
            "ERLMACHINE_ENGINE_CONTROL_TOKEN");
    assertThat(container.getEnv()).filteredOn(env -> env.getName().equals("ERLMACHINE_ENGINE_CONTROL_TOKEN")).singleElement()
        .satisfies(env -> {
          assertThat(env.getValue()).as("never in the pod spec itself").isNull();
          assertThat(env.getValueFrom().getSecretKeyRef().getName()).isEqualTo("erlmachine-host-control");
          assertThat(env.getValueFrom().getSecretKeyRef().getKey()).isEqualTo("token");
        });
    assertThat(container.getReadinessProbe().getHttpGet().getPath()).as("the host's own readiness (holds its Lease), not a machine's")
        .isEqualTo("/q/health/ready");
    assertThat(container.getReadinessProbe().getHttpGet().getPort().getStrVal()).isEqualTo("http");
    assertThat(container.getResources().getLimits().get("memory").toString()).isEqualTo("2Gi");
    assertThat(pod.getServiceAccountName()).isEqualTo("erlmachine-host");
  }

  @Test
  void hostsRollOneAtATimeAndGetTimeToFinishTheirMessages() {
    var spec = blueprint.statefulSet("shop", 3).getSpec();
    assertThat(spec.getUpdateStrategy().getType()).isEqualTo("RollingUpdate");
    assertThat(spec.getUpdateStrategy().getRollingUpdate().getPartition()).isZero();
    assertThat(spec.getUpdateStrategy().getRollingUpdate().getMaxUnavailable()).as("the default: one pod at a time").isNull();
    assertThat(spec.getMinReadySeconds()).isPositive();
    var pod = spec.getTemplate().getSpec();
    assertThat(pod.getTerminationGracePeriodSeconds()).as("longer than the engine's 20 s drain timeout").isGreaterThan(20L);
    assertThat(pod.getContainers().getFirst().getLifecycle()).as("no preStop: SIGTERM itself starts the drain").isNull();
  }

  @Test
  void aDisruptionBudgetLetsOneHostBeEvictedAtATime() {
    var budget = blueprint.disruptionBudget("shop");
    assertThat(budget.getMetadata().getName()).isEqualTo("erlmachine-host");
    assertThat(budget.getMetadata().getNamespace()).isEqualTo("shop");
    assertThat(budget.getSpec().getMaxUnavailable().getIntVal()).isEqualTo(1);
    assertThat(budget.getSpec().getMinAvailable()).isNull();
    assertThat(budget.getSpec().getSelector().getMatchLabels()).isEqualTo(HostBlueprint.selector())
        .isEqualTo(blueprint.statefulSet("shop", 2).getSpec().getTemplate().getMetadata().getLabels().entrySet().stream()
            .filter(label -> HostBlueprint.selector().containsKey(label.getKey()))
            .collect(java.util.stream.Collectors.toMap(java.util.Map.Entry::getKey, java.util.Map.Entry::getValue)));
    assertThat(budget.getSpec().getUnhealthyPodEvictionPolicy()).as("a host that is not ready never blocks a drain").isEqualTo("AlwaysAllow");
    assertThat(blueprint.build("shop", 2, HostNeeds.NONE)).extracting(object -> object.getKind())
        .containsExactly("ServiceAccount", "Role", "RoleBinding", "Service", "NetworkPolicy", "PodDisruptionBudget", "StatefulSet");
  }

  @Test
  void eachControlSecretHoldsA32ByteRandomTokenAndCannotBeRewritten() {
    var first = HostControlSecret.fresh("shop");
    var second = HostControlSecret.fresh("shop");
    String token = first.getStringData().get("token");
    assertThat(java.util.Base64.getUrlDecoder().decode(token)).hasSize(32);
    assertThat(token).isNotEqualTo(second.getStringData().get("token"));
    assertThat(first.getImmutable()).isTrue();
    assertThat(first.getMetadata().getLabels()).containsAllEntriesOf(HostBlueprint.labels());
  }

  @Test
  void theHostsRoleReadsConfigMapsAndHoldsLeasesAndNothingElse() {
    List<PolicyRule> rules = blueprint.role("shop").getRules();
    assertThat(rules).hasSize(2);
    assertThat(rules.get(0).getResources()).containsExactly("configmaps");
    assertThat(rules.get(0).getVerbs()).containsExactly("get", "list", "watch");
    assertThat(rules.get(1).getResources()).containsExactly("leases");
    assertThat(rules.get(1).getVerbs()).containsExactly("get", "list", "watch", "create", "update", "patch");
  }

  @Test
  void theNetworkPolicyAdmitsTheUnionOfItsMachinesNeeds() {
    var source = new TrafficSource(null, new LabelSelectorBuilder().addToMatchLabels("app", "shop").build());
    var needs = HostNeeds.union(List.of(new HostNeeds(List.of(source), Set.of("gw"), Set.of(), Set.of(443)),
        new HostNeeds(List.of(source), Set.of(), Set.of("ledger"), Set.of(8443))));
    var policy = blueprint.networkPolicy("shop", needs).getSpec();

    NetworkPolicyPort machinePorts = policy.getIngress().get(1).getPorts().getFirst();
    assertThat(machinePorts.getPort().getIntVal()).isEqualTo(20000);
    assertThat(machinePorts.getEndPort()).isEqualTo(20199);
    assertThat(policy.getIngress()).hasSize(3);
    assertThat(policy.getIngress().get(1).getFrom()).as("one rule for a source two machines name").hasSize(1);
    assertThat(policy.getEgress()).flatExtracting(rule -> rule.getPorts()).extracting(port -> port.getPort().getIntVal())
        .contains(53, 443, 6443, 8443, 8080, 20000);
  }
}
