package io.erlmachine.engine.machine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.erlmachine.api.config.MachineConfig;
import io.erlmachine.engine.TestConfigs;
import io.erlmachine.engine.TestConfigs.Gearbox;
import io.erlmachine.engine.js.JsPlatform;
import io.erlmachine.engine.runtime.GearCell;
import io.erlmachine.engine.runtime.GearId;
import io.erlmachine.engine.runtime.LatencyRecorder;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A gearbox whose code the host has instantiated without error before builds its JavaScript
 * context at its first message, not when its machine starts; everything else stays as it was.
 */
class LazyContextTest {
  private static final String CODE = "let n = 0;\nexport function init(gear) { gear.state.n = 0; }\n"
      + "export function receive(m, gear) { n++; gear.state.n = n; return { n }; }";
  private JsPlatform platform;
  private HostResources host;
  private final List<MachineRuntime> machines = new ArrayList<>();

  @BeforeEach
  void start() {
    platform = new JsPlatform();
    host = new HostResources(2, HostBudgets.Totals.forOneMachine(10_000, 100));
  }

  @AfterEach
  void stop() {
    machines.forEach(MachineRuntime::close);
    host.close();
    platform.close();
  }

  @Test
  void aMachineWhoseCodeInstantiatedBeforeIsReadyWithoutItsContextAndBuildsItAtItsFirstMessage() throws Exception {
    MachineRuntime first = machine(counting(CODE));
    assertThat(context(first).built()).as("code the host has not seen is instantiated when the config is applied").isTrue();

    MachineRuntime second = machine(counting(CODE));
    assertThat(second.ready()).isTrue();
    assertThat(context(second).built()).as("the same code again waits for its first message").isFalse();

    second.send("g", "in", "{}", Map.of(), null);
    GearCell sink = second.cell(new GearId("g", "sink"));
    await().atMost(Duration.ofSeconds(30)).until(() -> sink.counters().processed() == 1);
    assertThat(context(second).built()).isTrue();
    assertThat(second.cell(new GearId("g", "step")).snapshot().get()).isEqualTo("{\"n\":1}");
    assertThat(first.cell(new GearId("g", "step")).snapshot().get()).as("the first machine's gear is its own").isEqualTo("{\"n\":0}");
  }

  @Test
  void aGearsStateCanBeReadBeforeItsFirstMessage() throws Exception {
    machine(counting(CODE));
    MachineRuntime second = machine(counting(CODE));

    assertThat(second.cell(new GearId("g", "step")).snapshot().get()).as("init ran when the state was asked for").isEqualTo("{\"n\":0}");
  }

  @Test
  void codeThatFailedBeforeIsCheckedAgainAndRejectedEveryTime() {
    String missingExport = "export function handle(m) { return m; }";
    assertThatThrownBy(() -> machine(counting(missingExport))).isInstanceOf(InvalidConfigException.class)
        .hasMessageContaining("receive(message, gear)");
    assertThatThrownBy(() -> machine(counting(missingExport))).isInstanceOf(InvalidConfigException.class)
        .hasMessageContaining("receive(message, gear)");
  }

  @Test
  void theSameCodeWithOtherToolsOrLimitsIsInstantiatedWhenApplied() throws Exception {
    machine(counting(CODE));
    MachineRuntime otherLimits = machine(TestConfigs.machine(new MachineConfig.Limits(100, 1 << 20, 2000, 5_000_000, 2000), Map.of(),
        List.of(new Gearbox("g").gear("in", "endpoint").js("step", CODE).gear("sink", "counter")
            .shaft("in", "step").shaft("step", "sink").build())));

    assertThat(context(otherLimits).built()).isTrue();
  }

  private MachineRuntime machine(MachineConfig config) throws InvalidConfigException {
    MachineRuntime machine = new MachineRuntime(platform, host, new MachineRuntime.Settings(2, 256L << 20, 10_000, 100, 100, 80),
        id -> LatencyRecorder.NONE);
    try {
      machine.apply(config);
    } catch (InvalidConfigException | RuntimeException e) {
      machine.close();
      throw e;
    }
    machines.add(machine);
    return machine;
  }

  private static MachineConfig counting(String code) {
    return TestConfigs.machine(List.of(new Gearbox("g").gear("in", "endpoint").js("step", code).gear("sink", "counter")
        .shaft("in", "step").shaft("step", "sink").build()));
  }

  private static io.erlmachine.engine.js.GearboxContext context(MachineRuntime machine) {
    return machine.gearboxes().get("g").context();
  }
}
