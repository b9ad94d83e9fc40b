package io.erlmachine.api.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.erlmachine.api.v1alpha1.Gearbox;
import io.erlmachine.api.manifests.ManifestSet;
import java.util.Map;
import org.junit.jupiter.api.Test;

class GearboxRendererTest {
  private final GearboxRenderer renderer = new GearboxRenderer();

  @Test
  void rendersGearsShaftsToolsAndDefaults() throws Exception {
    Gearbox gearbox = ManifestSet.parse("""
        apiVersion: erlmachine.io/v1alpha1
        kind: Gearbox
        metadata: {name: intake, namespace: shop}
        spec:
          tools:
            - {name: rules, source: {configMapKeyRef: {name: code, key: rules.mjs}}}
          gears:
            - {name: in, prototype: endpoint}
            - {name: stamp, prototype: js, source: {inline: "export function receive(m) { return m.body; }"}}
            - {name: beat, prototype: timer, interval: 1500ms, params: {body: '{"beat": 1}'}}
          shafts:
            - {from: in, to: stamp}
        """).gearboxes().getFirst();

    MachineConfig.GearboxConfig config = renderer.render(gearbox, reference -> Map.of("code/rules.mjs", "export const max = 3;")
        .get(reference.name() + "/" + reference.key()));

    assertThat(config.name()).isEqualTo("intake");
    assertThat(config.clutch()).isEqualTo("Engaged");
    assertThat(config.gears()).extracting(MachineConfig.GearConfig::prototype).containsExactly("endpoint", "js", "timer");
    assertThat(config.gears().get(2).intervalMillis()).isEqualTo(1500);
    assertThat(config.shafts()).containsExactly(new MachineConfig.ShaftConfig("in", "stamp"));
    assertThat(config.tools()).containsEntry("rules", "export const max = 3;");
    assertThat(config.maxRestarts()).isEqualTo(5);
    assertThat(config.restartWindowMillis()).isEqualTo(30_000);
    assertThat(config.selfTestsGateReadiness()).isTrue();
  }

  @Test
  void aMissingConfigMapSourceIsNamed() throws Exception {
    Gearbox gearbox = ManifestSet.parse("""
        apiVersion: erlmachine.io/v1alpha1
        kind: Gearbox
        metadata: {name: intake, namespace: shop}
        spec:
          gears:
            - {name: stamp, prototype: js, source: {configMapKeyRef: {name: code, key: stamp.mjs}}}
        """).gearboxes().getFirst();

    assertThatThrownBy(() -> renderer.render(gearbox, reference -> null))
        .isInstanceOf(GearboxRenderer.MissingSourceException.class)
        .hasMessageContaining("gear stamp").hasMessageContaining("key stamp.mjs of ConfigMap code");
  }
}
