package io.erlmachine.operator.machine;

import static org.assertj.core.api.Assertions.assertThat;

import io.erlmachine.api.config.MachineConfig;
import io.erlmachine.api.config.MachineConfigCodec;
import io.erlmachine.api.host.HostContract;
import io.erlmachine.api.v1alpha1.ApiGroup;
import io.erlmachine.api.v1alpha1.Machine;
import io.erlmachine.api.v1alpha1.spec.LocalObjectName;
import io.erlmachine.api.v1alpha1.spec.MachinePermissions;
import io.erlmachine.api.v1alpha1.spec.MachineResources;
import io.erlmachine.api.v1alpha1.spec.MachineSpec;
import io.erlmachine.api.v1alpha1.spec.OutboundHost;
import io.erlmachine.api.v1alpha1.spec.ResourceAmounts;
import io.erlmachine.api.v1alpha1.spec.TrafficSource;
import io.fabric8.kubernetes.api.model.LabelSelectorBuilder;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyPort;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import io.erlmachine.operator.host.Placement;
import org.junit.jupiter.api.Test;

class MachineBlueprintTest {
  private static final EngineSettings SETTINGS = new EngineSettings("registry.example/engine:1", "IfNotPresent", "cluster.example",
      "50m", "128Mi", "256Mi", "erlmachine-system", List.of("monitoring"));
  private final MachineBlueprint blueprint = new MachineBlueprint(SETTINGS);

  @Test
  void everyOwnedObjectCarriesTheMachinesLabelsAndSerial() {
    DesiredMachineObjects objects = blueprint.build(machine(emptySpec()), 42, Map.of());
    for (var object : List.of(objects.serviceAccount(), objects.config(), objects.service(), objects.networkPolicy(), objects.engine())) {
      assertThat(object.getMetadata().getNamespace()).isEqualTo("shop");
      assertThat(object.getMetadata().getLabels())
          .containsEntry(ApiGroup.MACHINE_LABEL, "m1").containsEntry(ApiGroup.SERIAL_LABEL, "42")
          .containsEntry(MachineObjects.MANAGED_BY, MachineObjects.OPERATOR);
    }
    assertThat(objects.engine().getSpec().getTemplate().getMetadata().getLabels()).containsEntry(ApiGroup.SERIAL_LABEL, "42");
  }

  @Test
  void dnsNameUsesTheConfiguredClusterDomain() {
    assertThat(blueprint.dnsName(machine(emptySpec()))).isEqualTo("m1.shop.svc.cluster.example");
  }

  @Test
  void enginePodIsHardenedForTheRestrictedProfile() {
    PodSpec pod = blueprint.build(machine(emptySpec()), 1, Map.of()).engine().getSpec().getTemplate().getSpec();
    assertThat(pod.getSecurityContext().getRunAsNonRoot()).isTrue();
    assertThat(pod.getSecurityContext().getSeccompProfile().getType()).isEqualTo("RuntimeDefault");
    assertThat(pod.getAutomountServiceAccountToken()).isFalse();
    assertThat(pod.getEnableServiceLinks()).isFalse();
    var container = pod.getContainers().get(0);
    assertThat(container.getImage()).isEqualTo("registry.example/engine:1");
    assertThat(container.getSecurityContext().getReadOnlyRootFilesystem()).isTrue();
    assertThat(container.getSecurityContext().getAllowPrivilegeEscalation()).isFalse();
    assertThat(container.getSecurityContext().getCapabilities().getDrop()).containsExactly("ALL");
  }

  @Test
  void aSlowStartIsNotMistakenForAHungEngine() {
    var container = blueprint.build(machine(emptySpec()), 1, Map.of()).engine().getSpec().getTemplate().getSpec().getContainers().get(0);
    var startup = container.getStartupProbe();
    assertThat(startup.getHttpGet().getPath()).isEqualTo("/q/health/live");
    assertThat(startup.getPeriodSeconds() * startup.getFailureThreshold()).as("seconds an engine may take to start")
        .isGreaterThan(container.getLivenessProbe().getPeriodSeconds() * container.getLivenessProbe().getFailureThreshold())
        .isGreaterThanOrEqualTo(300);
  }

  @Test
  void resourcesComeFromTheSpecWithOperatorDefaults() {
    var given = new MachineSpec(null, null, new MachineResources(new ResourceAmounts("250m", null), new ResourceAmounts("2", "1Gi")), null, null, null);
    var resources = blueprint.build(machine(given), 1, Map.of()).engine().getSpec().getTemplate().getSpec().getContainers().get(0).getResources();
    assertThat(resources.getRequests().get("cpu").toString()).isEqualTo("250m");
    assertThat(resources.getRequests().get("memory").toString()).isEqualTo("128Mi");
    assertThat(resources.getLimits().get("cpu").toString()).isEqualTo("2");
    assertThat(resources.getLimits().get("memory").toString()).isEqualTo("1Gi");
  }

  @Test
  void memoryRequestAboveTheDefaultLimitRaisesTheLimitInsteadOfMakingAnInvalidPod() {
    var given = new MachineSpec(null, null, new MachineResources(new ResourceAmounts(null, "1Gi"), null), null, null, null);
    var resources = blueprint.build(machine(given), 1, Map.of()).engine().getSpec().getTemplate().getSpec().getContainers().get(0).getResources();
    assertThat(resources.getLimits().get("memory").toString()).isEqualTo("1Gi");
  }

  @Test
  void aLimitBelowTheDefaultRequestLowersTheRequestAndStaysAsGiven() {
    var given = new MachineSpec(null, null, new MachineResources(null, new ResourceAmounts("20m", "100Mi")), null, null, null);
    var resources = blueprint.build(machine(given), 1, Map.of()).engine().getSpec().getTemplate().getSpec().getContainers().get(0).getResources();
    assertThat(resources.getLimits().get("memory").toString()).isEqualTo("100Mi");
    assertThat(resources.getRequests().get("memory").toString()).isEqualTo("100Mi");
    assertThat(resources.getRequests().get("cpu").toString()).isEqualTo("20m");
  }

  @Test
  void networkPolicyDeniesByDefaultAndOpensOnlyWhatTheSpecAllows() {
    var selector = new LabelSelectorBuilder().addToMatchLabels("app", "shop").build();
    var given = new MachineSpec(null, null, null, null,
        new MachinePermissions(List.of(new OutboundHost("api.example.com", 8443), new OutboundHost("cdn.example.com", null)),
            List.of(new TrafficSource(null, selector))), null);
    var policy = blueprint.build(machine(given), 1, Map.of()).networkPolicy().getSpec();
    assertThat(policy.getPolicyTypes()).containsExactly("Ingress", "Egress");
    assertThat(policy.getIngress()).hasSize(2);
    assertThat(policy.getIngress().get(1).getFrom().get(0).getPodSelector()).isEqualTo(selector);
    assertThat(policy.getEgress().get(1).getPorts()).extracting(NetworkPolicyPort::getPort)
        .extracting(p -> p.getIntVal()).containsExactly(80, 443, 8443);
  }

  @Test
  void withoutPermissionsOnlyDnsMayLeave() {
    var policy = blueprint.build(machine(emptySpec()), 1, Map.of()).networkPolicy().getSpec();
    assertThat(policy.getEgress()).hasSize(1);
    assertThat(policy.getEgress().get(0).getPorts()).extracting(p -> p.getPort().getIntVal()).containsOnly(53);
    assertThat(policy.getIngress()).hasSize(1);
  }

  @Test
  void configCarriesIdentityAndApplicationData() {
    var spec = new MachineSpec(null, null, null, null, null, new LocalObjectName("settings"));
    String config = blueprint.build(machine(spec), 9, Map.of("region", "eu")).config().getData().get(MachineObjects.CONFIG_KEY);
    assertThat(config).contains("serial: 9", "dnsName: m1.shop.svc.cluster.example", "region: eu");
  }

  @Test
  void aSharedMachineOwnsItsConfigAServiceWithoutSelectorAndAnEndpointSliceToItsHost() {
    var seat = new MachineBlueprint.Seat(new Placement(1, 7), Optional.of(new MachineBlueprint.HostEndpoint("erlmachine-host-1", "10.0.0.9", "node-1", false)));
    DesiredMachineObjects objects = blueprint.buildShared(machine(emptySpec()), 42, Map.of(), List.of(), MachineTransmissions.Wiring.NONE, seat, true);

    assertThat(objects.serviceAccount()).isNull();
    assertThat(objects.networkPolicy()).isNull();
    assertThat(objects.engine()).isNull();
    assertThat(objects.config().getMetadata().getLabels()).containsEntry(HostContract.HOST_LABEL, "erlmachine-host-1");
    assertThat(objects.config().getMetadata().getAnnotations()).containsEntry(HostContract.GENERATION_ANNOTATION, "1");
    assertThat(MachineConfigCodec.fromYaml(objects.config().getData().get(MachineObjects.CONFIG_KEY)).listener())
        .isEqualTo(new MachineConfig.Listener("0.0.0.0", 20007));
    assertThat(objects.service().getSpec().getSelector()).isNullOrEmpty();
    assertThat(objects.service().getSpec().getPorts().getFirst().getPort()).isEqualTo(80);
    var slice = objects.endpointSlice();
    assertThat(slice.getMetadata().getLabels()).containsEntry("kubernetes.io/service-name", "m1")
        .containsEntry("endpointslice.kubernetes.io/managed-by", "erlmachine.io");
    assertThat(slice.getPorts().getFirst().getPort()).isEqualTo(20007);
    assertThat(slice.getPorts().getFirst().getName()).isEqualTo(objects.service().getSpec().getPorts().getFirst().getName());
    assertThat(slice.getEndpoints()).singleElement().satisfies(endpoint -> {
      assertThat(endpoint.getAddresses()).containsExactly("10.0.0.9");
      assertThat(endpoint.getConditions().getReady()).isFalse();
      assertThat(endpoint.getTargetRef().getName()).isEqualTo("erlmachine-host-1");
    });
  }

  @Test
  void aDedicatedMachinesPolicyLetsInAndOutItsPeersOnSharedHosts() {
    var wiring = new MachineTransmissions.Wiring(List.of(), java.util.Set.of("ledger"), java.util.Set.of("gw"));
    var policy = blueprint.build(machine(emptySpec()), 1, Map.of(), List.of(), wiring, peer -> true).networkPolicy().getSpec();
    assertThat(policy.getIngress()).filteredOn(rule -> rule.getFrom().getFirst().getPodSelector() != null
        && "engine-host".equals(rule.getFrom().getFirst().getPodSelector().getMatchLabels().get("app.kubernetes.io/component"))).hasSize(1);
    assertThat(policy.getEgress()).filteredOn(rule -> rule.getTo() != null && rule.getTo().getFirst().getPodSelector() != null
        && "engine-host".equals(rule.getTo().getFirst().getPodSelector().getMatchLabels().get("app.kubernetes.io/component")))
        .singleElement().satisfies(rule -> {
          assertThat(rule.getPorts().getFirst().getPort().getIntVal()).isEqualTo(20000);
          assertThat(rule.getPorts().getFirst().getEndPort()).isEqualTo(20199);
        });
    var alone = blueprint.build(machine(emptySpec()), 1, Map.of(), List.of(), wiring, peer -> false).networkPolicy().getSpec();
    assertThat(alone.getIngress()).hasSize(policy.getIngress().size() - 1);
  }

  @Test
  void aMachineStillRunningElsewhereIsNotGivenToItsHostYet() {
    var seat = new MachineBlueprint.Seat(new Placement(0, 0), Optional.empty());
    DesiredMachineObjects objects = blueprint.buildShared(machine(emptySpec()), 42, Map.of(), List.of(), MachineTransmissions.Wiring.NONE, seat, false);
    assertThat(objects.config().getMetadata().getLabels()).doesNotContainKey(HostContract.HOST_LABEL);
    assertThat(objects.endpointSlice().getEndpoints()).isNullOrEmpty();
  }

  private static MachineSpec emptySpec() {
    return new MachineSpec(null, null, null, null, null, null);
  }

  private static Machine machine(MachineSpec spec) {
    Machine machine = new Machine();
    machine.setMetadata(new ObjectMetaBuilder().withName("m1").withNamespace("shop").withGeneration(1L)
        .withLabels(Map.of(ApiGroup.SERIAL_LABEL, "42")).build());
    machine.setSpec(spec);
    return machine;
  }
}
