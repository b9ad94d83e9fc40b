package io.erlmachine.engine.machine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.erlmachine.engine.TestConfigs;
import io.erlmachine.engine.TestConfigs.Gearbox;
import io.erlmachine.engine.js.JsPlatform;
import io.erlmachine.engine.runtime.GearCell;
import io.erlmachine.engine.runtime.GearId;
import io.erlmachine.engine.runtime.LatencyRecorder;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class MachineRuntimeTest {
  private static JsPlatform platform;
  private MachineRuntime machine;

  @BeforeAll
  static void platform() {
    platform = new JsPlatform();
  }

  @AfterAll
  static void closePlatform() {
    platform.close();
  }

  @BeforeEach
  void start() {
    machine = new MachineRuntime(platform, new MachineRuntime.Settings(2, 256L << 20, 10_000, 100, 100, 80), id -> LatencyRecorder.NONE);
  }

  @AfterEach
  void stop() {
    machine.close();
  }

  @Test
  void compilerIsActive() {
    assertThat(platform.compilerActive()).as("runtime " + platform.runtimeName()).isTrue();
  }

  @Test
  void messagesFlowThroughAPipelineAndStateIsKept() throws Exception {
    machine.apply(TestConfigs.machine(List.of(new Gearbox("orders")
        .gear("in", "endpoint")
        .js("double", "export function receive(m, gear) { gear.state.seen = (gear.state.seen || 0) + 1; return { n: m.body.n * 2 }; }")
        .gear("sink", "counter")
        .shaft("in", "double").shaft("double", "sink").build())));

    for (int i = 0; i < 10; i++) {
      assertThat(machine.send("orders", "in", "{\"n\":" + i + "}", Map.of(), null).delivery()).isEqualTo(GearCell.Delivery.ACCEPTED);
    }

    GearCell sink = machine.cell(new GearId("orders", "sink"));
    await().atMost(Duration.ofSeconds(10)).until(() -> sink.counters().processed() == 10);
    assertThat(machine.cell(new GearId("orders", "double")).snapshot().get()).isEqualTo("{\"seen\":10}");
  }

  @Test
  void acceptedMessagesCountAsUnfinishedUntilTheLastGearHandledThem() throws Exception {
    machine.apply(TestConfigs.machine(List.of(new Gearbox("orders")
        .gear("in", "endpoint")
        .js("double", "export function receive(m) { return { n: m.body.n * 2 }; }")
        .gear("sink", "counter")
        .shaft("in", "double").shaft("double", "sink").build())));
    assertThat(machine.unfinished()).isZero();

    machine.engage(false);
    for (int i = 0; i < 7; i++) {
      assertThat(machine.send("orders", "in", "{\"n\":" + i + "}", Map.of(), null).delivery()).isEqualTo(GearCell.Delivery.ACCEPTED);
    }
    assertThat(machine.unfinished()).as("waiting behind the clutch").isEqualTo(7);

    machine.engage(true);
    GearCell sink = machine.cell(new GearId("orders", "sink"));
    await().atMost(Duration.ofSeconds(10)).until(() -> machine.unfinished() == 0);
    assertThat(sink.counters().processed()).as("nothing is finished before the last gear handled it").isEqualTo(7);
  }

  @Test
  void badJavaScriptIsRejectedWithTheLine() {
    assertThatThrownBy(() -> machine.apply(TestConfigs.machine(List.of(new Gearbox("b")
        .js("broken", "export function receive(m) {\n  return m.body +;\n}").build()))))
        .isInstanceOf(InvalidConfigException.class)
        .hasMessageContaining("gear broken")
        .hasMessageContaining("broken.mjs:2");
  }

  @Test
  void gearsImportTheirGearboxsToolsAndNothingElse() throws Exception {
    var gearbox = new Gearbox("rules")
        .js("check", "import { max } from 'limits';\nexport function receive(m) { return { ok: m.body.total <= max }; }")
        .gear("sink", "counter").shaft("check", "sink").build();
    var withTools = new io.erlmachine.api.config.MachineConfig.GearboxConfig(gearbox.name(), gearbox.clutch(), gearbox.gears(),
        gearbox.shafts(), Map.of("limits", "export const max = 10;"), gearbox.selfTests(), 5, 30_000, false);
    machine.apply(TestConfigs.machine(List.of(withTools)));
    machine.send("rules", "check", "{\"total\": 3}", Map.of(), null);
    await().atMost(Duration.ofSeconds(10)).until(() -> machine.cell(new GearId("rules", "sink")).counters().processed() == 1);

    assertThatThrownBy(() -> machine.apply(TestConfigs.machine(List.of(new Gearbox("snoop")
        .js("read", "import secret from '/etc/passwd';\nexport function receive(m) { return secret; }").build()))))
        .isInstanceOf(InvalidConfigException.class).hasMessageContaining("gear read");
  }
}
