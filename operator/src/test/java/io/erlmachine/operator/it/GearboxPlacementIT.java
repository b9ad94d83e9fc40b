package io.erlmachine.operator.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.erlmachine.api.config.MachineConfig;
import io.erlmachine.api.config.MachineConfigCodec;
import io.erlmachine.api.v1alpha1.Gearbox;
import io.erlmachine.api.v1alpha1.status.GearboxPhase;
import io.erlmachine.api.v1alpha1.status.GearboxPlacement;
import io.erlmachine.testkit.TestNamespace;
import io.fabric8.kubernetes.api.model.ConfigMap;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Predicate;
import org.junit.jupiter.api.Test;

/** Gearboxes placed onto the machines that select them, rendered into their configs, with status on the Gearbox. */
class GearboxPlacementIT extends WithRunningOperator {
  private static final Duration PATIENCE = Duration.ofSeconds(90);
  @Test
  void aGearboxCreatedAfterItsMachineIsRenderedIntoTheMachineConfig(TestNamespace namespace) {
    Fixtures.create(namespace, "{apiVersion: erlmachine.io/v1alpha1, kind: Machine, metadata: {name: gw}, spec: {gearboxSelector: {matchLabels: {stage: intake}}}}");
    Fixtures.awaitReady(namespace, "gw");
    assertThat(renderedConfig(namespace, "gw").gearboxes()).isEmpty();

    Fixtures.create(namespace, """
        apiVersion: erlmachine.io/v1alpha1
        kind: Gearbox
        metadata: {name: intake, labels: {stage: intake}}
        spec:
          gears:
            - {name: orders, prototype: endpoint}
            - name: stamp
              prototype: js
              source: {inline: "export function receive(m) { return m.body; }"}
          shafts:
            - {from: orders, to: stamp}
        """);

    await().atMost(PATIENCE).until(() -> renderedConfig(namespace, "gw").gearboxes().size() == 1);
    MachineConfig.GearboxConfig placed = renderedConfig(namespace, "gw").gearboxes().getFirst();
    assertThat(placed.name()).isEqualTo("intake");
    assertThat(placed.gears().get(1).source()).contains("export function receive");
    assertThat(placed.shafts()).containsExactly(new MachineConfig.ShaftConfig("orders", "stamp"));

    Gearbox running = awaitGearbox(namespace, "intake", g -> g.getStatus().phase() == GearboxPhase.Running);
    assertThat(running.getStatus().placements()).extracting(GearboxPlacement::machine).containsExactly("gw");
    assertThat(running.getStatus().gearCount()).isEqualTo(2);
    assertThat(Fixtures.awaitMachine(namespace, "gw", m -> m.getStatus().gearboxes() != null && !m.getStatus().gearboxes().isEmpty())
        .getStatus().gearboxes()).containsExactly("intake");
  }

  @Test
  void aMissingSourceMakesTheGearboxInvalidUntilItExists(TestNamespace namespace) {
    Fixtures.create(namespace, "{apiVersion: erlmachine.io/v1alpha1, kind: Machine, metadata: {name: worker}, spec: {gearboxSelector: {}}}");
    Fixtures.create(namespace, """
        apiVersion: erlmachine.io/v1alpha1
        kind: Gearbox
        metadata: {name: checks}
        spec:
          gears:
            - name: check
              prototype: js
              source: {configMapKeyRef: {name: check-code, key: check.mjs}}
        """);

    Gearbox invalid = awaitGearbox(namespace, "checks", g -> g.getStatus().phase() == GearboxPhase.Invalid);
    assertThat(invalid.getStatus().conditions()).anySatisfy(c -> {
      assertThat(c.getType()).isEqualTo("Valid");
      assertThat(c.getStatus()).isEqualTo("False");
      assertThat(c.getReason()).isEqualTo("SourceNotFound");
      assertThat(c.getMessage()).contains("key check.mjs of ConfigMap check-code");
    });
    Fixtures.awaitReady(namespace, "worker");
    assertThat(renderedConfig(namespace, "worker").gearboxes()).as("the machine runs without the broken gearbox").isEmpty();

    Fixtures.create(namespace, "{apiVersion: v1, kind: ConfigMap, metadata: {name: check-code}, data: {check.mjs: 'export function receive(m) { return m.body; }'}}");

    awaitGearbox(namespace, "checks", g -> g.getStatus().phase() == GearboxPhase.Running);
    await().atMost(PATIENCE).until(() -> renderedConfig(namespace, "worker").gearboxes().size() == 1);
    assertThat(renderedConfig(namespace, "worker").gearboxes().getFirst().gears().getFirst().source()).contains("export function receive");
  }

  @Test
  void badJavaScriptIsReportedWithItsLineAndKeptOffTheMachineUntilFixed(TestNamespace namespace) {
    Fixtures.create(namespace, "{apiVersion: erlmachine.io/v1alpha1, kind: Machine, metadata: {name: pricer}, spec: {gearboxSelector: {}}}");
    Fixtures.create(namespace, """
        {apiVersion: erlmachine.io/v1alpha1, kind: Gearbox, metadata: {name: healthy},
         spec: {gears: [{name: sink, prototype: counter}]}}
        """);
    String broken = """
        apiVersion: erlmachine.io/v1alpha1
        kind: Gearbox
        metadata: {name: pricing}
        spec:
          gears:
            - name: price
              prototype: js
              source:
                inline: |
                  export function receive(m) {
                    return { total: m.body.net * };
                  }
        """;
    Fixtures.create(namespace, broken);

    Gearbox invalid = awaitGearbox(namespace, "pricing", g -> g.getStatus().phase() == GearboxPhase.Invalid);
    assertThat(invalid.getStatus().conditions()).anySatisfy(c -> {
      assertThat(c.getType()).isEqualTo("Valid");
      assertThat(c.getStatus()).isEqualTo("False");
      assertThat(c.getReason()).isEqualTo("SyntaxError");
      assertThat(c.getMessage()).startsWith("gear price: price.mjs:2:").contains("SyntaxError");
    });
    await().atMost(PATIENCE).until(() -> renderedConfig(namespace, "pricer").gearboxes().size() == 1);
    assertThat(renderedConfig(namespace, "pricer").gearboxes()).extracting(MachineConfig.GearboxConfig::name)
        .as("the machine keeps running its valid gearbox").containsExactly("healthy");

    Fixtures.apply(namespace, broken.replace("m.body.net * }", "m.body.net * 1.2 }"));

    awaitGearbox(namespace, "pricing", g -> g.getStatus().phase() != GearboxPhase.Invalid);
    await().atMost(PATIENCE).until(() -> renderedConfig(namespace, "pricer").gearboxes().size() == 2);
  }

  @Test
  void aGearboxNoMachineSelectsIsPending(TestNamespace namespace) {
    Fixtures.create(namespace, """
        {apiVersion: erlmachine.io/v1alpha1, kind: Gearbox, metadata: {name: lonely, labels: {stage: nowhere}},
         spec: {gears: [{name: sink, prototype: counter}]}}
        """);
    Gearbox pending = awaitGearbox(namespace, "lonely", g -> g.getStatus().phase() == GearboxPhase.Pending);
    assertThat(pending.getStatus().conditions()).anySatisfy(c -> assertThat(c.getMessage()).contains("no Machine in this namespace selects"));
  }

  private static MachineConfig renderedConfig(TestNamespace namespace, String machine) {
    ConfigMap config = namespace.client().configMaps().inNamespace(namespace.name()).withName(machine + "-config").get();
    return MachineConfigCodec.fromYaml(config.getData().get("machine.yaml"));
  }

  private static Gearbox awaitGearbox(TestNamespace namespace, String name, Predicate<Gearbox> until) {
    AtomicReference<Gearbox> last = new AtomicReference<>();
    await().atMost(PATIENCE).pollInterval(Duration.ofMillis(250)).alias("gearbox " + name + " (last seen: " + last + ")")
        .until(() -> {
          Gearbox gearbox = namespace.client().resources(Gearbox.class).inNamespace(namespace.name()).withName(name).get();
          last.set(gearbox);
          return gearbox != null && gearbox.getStatus() != null && until.test(gearbox);
        });
    return last.get();
  }
}
