package io.erlmachine.engine.machine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.erlmachine.api.config.MachineConfig;
import io.erlmachine.engine.TestConfigs;
import io.erlmachine.engine.TestConfigs.Gearbox;
import io.erlmachine.engine.js.JsPlatform;
import io.erlmachine.engine.runtime.DeadLetters.DeadLetter;
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

/** The gears of a gearbox share one JavaScript context; what they must not share, they do not. */
class GearIsolationTest {
  private static final String COUNTING = "let n = 0;\n"
      + "export function receive(m, gear) { n++; gear.state.n = n; if (m.body && m.body.spin) { while (true) {} } }";
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
  void twoGearsWithTheSameCodeAreTwoInstancesWithTheirOwnState() throws Exception {
    machine.apply(TestConfigs.machine(List.of(new Gearbox("g").js("a", COUNTING).js("b", COUNTING).build())));

    send("a", 3);
    send("b", 1);

    awaitState("a", "{\"n\":3}");
    awaitState("b", "{\"n\":1}");
  }

  @Test
  void aGearCannotChangeTheBuiltInsAnotherGearSees() throws Exception {
    machine.apply(TestConfigs.machine(List.of(new Gearbox("g")
        .js("tamper", "export function receive() { Array.prototype.evil = 1; }")
        .js("globals", "export function receive() { globalThis.shared = 1; }")
        .js("check", "export function receive(m, gear) { gear.state.evil = typeof [].evil; gear.state.shared = typeof globalThis.shared;"
            + " gear.state.json = JSON.stringify === JSON.stringify && Object.isFrozen(JSON); }")
        .build())));

    send("tamper", 1);
    send("globals", 1);
    await().atMost(Duration.ofSeconds(10)).until(() -> machine.deadLetters().total() == 2);
    send("check", 1);

    awaitState("check", "{\"evil\":\"undefined\",\"shared\":\"undefined\",\"json\":true}");
    assertThat(machine.deadLetters().recent()).extracting(DeadLetter::reason)
        .allSatisfy(reason -> assertThat(reason).containsAnyOf("not extensible", "Cannot add", "Cannot define", "read-only", "frozen"));
  }

  @Test
  void aMessageCannotBeChangedByItsSenderAfterItWasEmitted() throws Exception {
    machine.apply(TestConfigs.machine(List.of(new Gearbox("g")
        .js("sender", "export function receive(m, gear) { const out = { n: 1, inner: { k: 1 } }; gear.emit(out);"
            + " out.n = 99; out.inner.k = 99; gear.state.changedOwnCopy = out.n; }")
        .js("receiver", "export function receive(m, gear) { gear.state.got = m.body; gear.state.frozen = Object.isFrozen(m.body.inner); }")
        .shaft("sender", "receiver").build())));

    send("sender", 1);

    awaitState("receiver", "{\"got\":{\"n\":1,\"inner\":{\"k\":1}},\"frozen\":true}");
    awaitState("sender", "{\"changedOwnCopy\":99}");
  }

  @Test
  void aRunawayMessageIsInterruptedAndOnlyItsGearStartsAgain() throws Exception {
    MachineConfig.Limits limits = new MachineConfig.Limits(100, 1 << 20, 300, Long.MAX_VALUE / 2, 100);
    machine.apply(TestConfigs.machine(limits, Map.of(), List.of(new Gearbox("g").js("spin", COUNTING).js("steady", COUNTING).build())));
    send("steady", 5);
    send("spin", 2);
    awaitState("spin", "{\"n\":2}");

    machine.send("g", "spin", "{\"spin\":true}", Map.of(), null);
    await().atMost(Duration.ofSeconds(10)).until(() -> machine.deadLetters().total() == 1);

    assertThat(machine.deadLetters().recent().getFirst().reason()).contains("message timeout of 300ms");
    send("steady", 1);
    awaitState("steady", "{\"n\":6}");
    send("spin", 1);
    awaitState("spin", "{\"n\":1}");
  }

  @Test
  void aMessageOverTheStatementLimitGivesTheGearboxAFreshContextThatKeepsServing() throws Exception {
    machine.apply(TestConfigs.machine(List.of(new Gearbox("g").js("spin", COUNTING).js("steady", COUNTING).build())));
    send("steady", 2);
    awaitState("steady", "{\"n\":2}");

    machine.send("g", "spin", "{\"spin\":true}", Map.of(), null);
    await().atMost(Duration.ofSeconds(10)).until(() -> machine.deadLetters().total() == 1);

    assertThat(machine.deadLetters().recent().getFirst().reason()).contains("Statement count limit");
    send("steady", 1);
    awaitState("steady", "{\"n\":1}");
    assertThat(machine.cell(new GearId("g", "steady")).counters().failed()).isZero();
  }

  @Test
  void aCrashedGearStartsAgainWithFreshStateWhileItsNeighbourKeepsItsOwn() throws Exception {
    String failing = "let n = 0;\nexport function receive(m, gear) { n++; gear.state.n = n; if (m.body.fail) throw new Error('boom'); }";
    machine.apply(TestConfigs.machine(List.of(new Gearbox("g").js("fragile", failing).js("steady", COUNTING).build())));
    send("steady", 3);
    send("fragile", 2);
    awaitState("fragile", "{\"n\":2}");

    machine.send("g", "fragile", "{\"fail\":true}", Map.of(), null);
    await().atMost(Duration.ofSeconds(10)).until(() -> machine.deadLetters().total() == 1);
    send("fragile", 1);

    awaitState("fragile", "{\"n\":1}");
    awaitState("steady", "{\"n\":3}");
  }

  @Test
  void aReloadSwapsOnlyTheChangedGearAndTheOthersKeepTheirState() throws Exception {
    machine.apply(TestConfigs.machine(List.of(new Gearbox("g").js("kept", COUNTING).js("changed", COUNTING).build())));
    send("kept", 4);
    send("changed", 4);
    awaitState("changed", "{\"n\":4}");

    machine.apply(TestConfigs.machine(List.of(new Gearbox("g").js("kept", COUNTING).js("changed", COUNTING + "\n// v2").build())));
    send("kept", 1);
    send("changed", 1);

    awaitState("kept", "{\"n\":5}");
    awaitState("changed", "{\"n\":1}");
  }

  @Test
  void aGearboxsGearsRunOneAtATimeOnItsLane() throws Exception {
    String slow = "export function receive(m, gear) { const t = Date.now(); while (Date.now() - t < 5) {} return m.body; }";
    machine.apply(TestConfigs.machine(List.of(new Gearbox("g").js("a", slow).js("b", slow).gear("sink", "counter")
        .shaft("a", "sink").shaft("b", "sink").build())));

    send("a", 20);
    send("b", 20);

    GearCell sink = machine.cell(new GearId("g", "sink"));
    await().atMost(Duration.ofSeconds(20)).until(() -> sink.counters().processed() == 40);
    assertThat(machine.deadLetters().total()).isZero();
  }

  private void send(String gear, int messages) {
    for (int i = 0; i < messages; i++) {
      assertThat(machine.send("g", gear, "{\"i\":" + i + "}", Map.of(), null).delivery()).isEqualTo(GearCell.Delivery.ACCEPTED);
    }
  }

  private void awaitState(String gear, String json) {
    await().atMost(Duration.ofSeconds(10)).untilAsserted(() ->
        assertThat(machine.cell(new GearId("g", gear)).snapshot().get()).isEqualTo(json));
  }
}
