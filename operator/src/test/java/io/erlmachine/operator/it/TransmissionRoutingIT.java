package io.erlmachine.operator.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.erlmachine.api.config.MachineConfig;
import io.erlmachine.api.config.MachineConfigCodec;
import io.erlmachine.api.v1alpha1.Transmission;
import io.erlmachine.api.v1alpha1.status.ResolvedRoute;
import io.erlmachine.api.v1alpha1.status.TransmissionPhase;
import io.erlmachine.testkit.TestNamespace;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicy;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Transmissions resolved to machines, rendered into the sources' configs and opened in NetworkPolicies, on a real control plane. */
class TransmissionRoutingIT extends WithRunningOperator {
  private static final Duration PATIENCE = Duration.ofSeconds(90);
  private static final String INTAKE_GEARBOX = """
      {apiVersion: erlmachine.io/v1alpha1, kind: Gearbox, metadata: {name: intake},
       spec: {gears: [{name: orders, prototype: endpoint}, {name: stamp, prototype: forwarder}], shafts: [{from: orders, to: stamp}]}}
      """;
  @Test
  void routesReachTargetsCreatedBeforeAndAfterTheTransmission(TestNamespace namespace) {
    sourceMachineRunningIntake(namespace, "gw");
    Fixtures.create(namespace, "{apiVersion: erlmachine.io/v1alpha1, kind: Machine, metadata: {name: v1, labels: {role: validator}}, spec: {hosting: Dedicated}}");
    Fixtures.create(namespace, """
        apiVersion: erlmachine.io/v1alpha1
        kind: Transmission
        metadata: {name: to-validation}
        spec:
          pattern: Pipeline
          from: {machine: gw, gearbox: intake, gear: stamp}
          to:
            - {machineSelector: {matchLabels: {role: validator}}, gearbox: validation, gear: check}
          delivery: {maxRetries: 3, timeout: 1s}
        """);
    String v1 = "v1." + namespace.name() + ".svc.cluster.local";
    String v2 = "v2." + namespace.name() + ".svc.cluster.local";

    await().atMost(PATIENCE).until(() -> targets(namespace, "gw").equals(List.of(v1)));
    MachineConfig.RouteConfig route = config(namespace, "gw").routes().getFirst();
    assertThat(route.pattern()).isEqualTo("Pipeline");
    assertThat(route.gearbox() + "/" + route.gear()).isEqualTo("intake/stamp");
    assertThat(route.delivery().maxRetries()).isEqualTo(3);
    assertThat(route.delivery().timeoutMillis()).isEqualTo(1000);
    await().atMost(PATIENCE).ignoreExceptions().untilAsserted(() -> {
      assertThat(egressMachines(namespace, "gw")).containsExactly("v1");
      assertThat(ingressMachines(namespace, "v1")).containsExactly("gw");
    });

    Fixtures.create(namespace, "{apiVersion: erlmachine.io/v1alpha1, kind: Machine, metadata: {name: v2, labels: {role: validator}}, spec: {hosting: Dedicated}}");

    await().atMost(PATIENCE).until(() -> targets(namespace, "gw").equals(List.of(v1, v2)));
    await().atMost(PATIENCE).ignoreExceptions().untilAsserted(() -> {
      Transmission transmission = transmission(namespace, "to-validation");
      assertThat(transmission.getStatus().phase()).isEqualTo(TransmissionPhase.Resolved);
      assertThat(transmission.getStatus().routes()).containsExactly(new ResolvedRoute("gw", List.of(v1, v2)));
      assertThat(egressMachines(namespace, "gw")).containsExactly("v1", "v2");
      assertThat(ingressMachines(namespace, "v2")).containsExactly("gw");
    });
  }

  @Test
  void aTransmissionWithoutTargetsSaysSo(TestNamespace namespace) {
    sourceMachineRunningIntake(namespace, "lonely");
    Fixtures.create(namespace, """
        {apiVersion: erlmachine.io/v1alpha1, kind: Transmission, metadata: {name: nowhere},
         spec: {pattern: PubSub, from: {machine: lonely, gearbox: intake, gear: stamp}, to: [{machine: absent, gearbox: g, gear: in}]}}
        """);
    await().atMost(PATIENCE).ignoreExceptions().untilAsserted(() -> {
      Transmission transmission = transmission(namespace, "nowhere");
      assertThat(transmission.getStatus().phase()).isEqualTo(TransmissionPhase.Unresolved);
      assertThat(transmission.getStatus().conditions()).anySatisfy(c -> assertThat(c.getMessage()).contains("no Machine matches spec.to"));
    });
  }

  @Test
  void aRouteFromAGearTheMachineDoesNotRunIsLeftOutAndExplainedUntilTheGearExists(TestNamespace namespace) {
    sourceMachineRunningIntake(namespace, "gw");
    Fixtures.create(namespace, "{apiVersion: erlmachine.io/v1alpha1, kind: Machine, metadata: {name: ledger}, spec: {hosting: Dedicated}}");
    Fixtures.create(namespace, """
        {apiVersion: erlmachine.io/v1alpha1, kind: Transmission, metadata: {name: to-ledger},
         spec: {pattern: PubSub, from: {machine: gw, gearbox: intake, gear: stamped}, to: [{machine: ledger, gearbox: books, gear: store}]}}
        """);

    await().atMost(PATIENCE).ignoreExceptions().untilAsserted(() -> {
      Transmission transmission = transmission(namespace, "to-ledger");
      assertThat(transmission.getStatus().phase()).isEqualTo(TransmissionPhase.Unresolved);
      assertThat(transmission.getStatus().conditions()).anySatisfy(c -> {
        assertThat(c.getReason()).isEqualTo("RouteCannotRun");
        assertThat(c.getMessage()).contains("on gw: gear intake/stamped does not exist on this machine");
      });
    });
    await().atMost(PATIENCE).ignoreExceptions().until(() -> !config(namespace, "gw").gearboxes().isEmpty());
    MachineConfig config = config(namespace, "gw");
    assertThat(config.gearboxes()).extracting(MachineConfig.GearboxConfig::name).as("the machine still runs its gearbox").containsExactly("intake");
    assertThat(config.routes()).as("a route the engine would refuse is not rendered").isEmpty();

    String fixed = INTAKE_GEARBOX.replace("{name: stamp, prototype: forwarder}", "{name: stamped, prototype: forwarder}")
        .replace("to: stamp}", "to: stamped}");
    Fixtures.apply(namespace, fixed.replace("{name: orders, prototype: endpoint}",
        "{name: orders, prototype: js, source: {inline: 'export function receive( {'}}"));
    await().atMost(PATIENCE).ignoreExceptions().untilAsserted(() -> assertThat(transmission(namespace, "to-ledger").getStatus().conditions())
        .anySatisfy(c -> assertThat(c.getMessage()).contains("on gw: gearbox intake is Invalid (see its status)")));

    Fixtures.apply(namespace, fixed);

    await().atMost(PATIENCE).until(() -> targets(namespace, "gw").equals(List.of("ledger." + namespace.name() + ".svc.cluster.local")));
    await().atMost(PATIENCE).ignoreExceptions().untilAsserted(() -> assertThat(transmission(namespace, "to-ledger").getStatus().phase()).isEqualTo(TransmissionPhase.Resolved));
  }

  /** A machine named name that runs the intake gearbox. */
  private static void sourceMachineRunningIntake(TestNamespace namespace, String name) {
    Fixtures.create(namespace, INTAKE_GEARBOX);
    Fixtures.create(namespace, "{apiVersion: erlmachine.io/v1alpha1, kind: Machine, metadata: {name: " + name + "}, spec: {hosting: Dedicated, gearboxSelector: {}}}");
  }

  private static Transmission transmission(TestNamespace namespace, String name) {
    return namespace.client().resources(Transmission.class).inNamespace(namespace.name()).withName(name).get();
  }

  private static List<String> targets(TestNamespace namespace, String machine) {
    MachineConfig config = config(namespace, machine);
    return config.routes().isEmpty() ? List.of() : config.routes().getFirst().targets().stream().map(MachineConfig.TargetConfig::dnsName).toList();
  }

  private static MachineConfig config(TestNamespace namespace, String machine) {
    var configMap = namespace.client().configMaps().inNamespace(namespace.name()).withName(machine + "-config").get();
    return configMap == null ? new MachineConfig(null, null, null, null, null, null, null, List.of())
        : MachineConfigCodec.fromYaml(configMap.getData().get("machine.yaml"));
  }

  private static List<String> egressMachines(TestNamespace namespace, String machine) {
    return policy(namespace, machine).getSpec().getEgress().stream()
        .flatMap(rule -> rule.getTo() == null ? java.util.stream.Stream.empty() : rule.getTo().stream())
        .filter(peer -> peer.getPodSelector() != null && peer.getPodSelector().getMatchExpressions() != null)
        .flatMap(peer -> peer.getPodSelector().getMatchExpressions().stream())
        .flatMap(expression -> expression.getValues().stream()).toList();
  }

  private static List<String> ingressMachines(TestNamespace namespace, String machine) {
    return policy(namespace, machine).getSpec().getIngress().stream()
        .flatMap(rule -> rule.getFrom() == null ? java.util.stream.Stream.empty() : rule.getFrom().stream())
        .filter(peer -> peer.getPodSelector() != null && peer.getPodSelector().getMatchExpressions() != null)
        .flatMap(peer -> peer.getPodSelector().getMatchExpressions().stream())
        .flatMap(expression -> expression.getValues().stream()).toList();
  }

  private static NetworkPolicy policy(TestNamespace namespace, String machine) {
    return namespace.client().network().networkPolicies().inNamespace(namespace.name()).withName(machine).get();
  }
}
