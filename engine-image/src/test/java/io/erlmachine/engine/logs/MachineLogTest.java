package io.erlmachine.engine.logs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.erlmachine.api.config.MachineConfig.GearConfig;
import io.erlmachine.engine.TestConfigs;
import io.erlmachine.engine.TestConfigs.Gearbox;
import io.erlmachine.engine.js.JsPlatform;
import io.erlmachine.engine.machine.MachineRuntime;
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

/** What a running machine writes to its own log: its gears' lines and what the engine says about it. */
class MachineLogTest {
  private static final Duration PATIENCE = Duration.ofSeconds(20);
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
  void consoleGearLogAndTheLogPrototypeWriteToTheMachinesLog() throws Exception {
    machine.apply(TestConfigs.machine(List.of(new Gearbox("orders")
        .js("price", "export function receive(m, gear) { console.warn('pricing', m.body.id); gear.log.info('priced', m.body.id);"
            + " return m.body; }")
        .gear(new GearConfig("audit", "log", null, Map.of("level", "error"), null, null))
        .shaft("price", "audit").build())));
    String tracking = machine.send("orders", "price", "{\"id\": 42}", Map.of(), null).tracking();

    await().atMost(PATIENCE).until(() -> lines().size() >= 3);
    List<LogRecord> records = lines();
    assertThat(records).anySatisfy(r -> assertThat(r).extracting(LogRecord::level, LogRecord::gearbox, LogRecord::gear,
        LogRecord::message).containsExactly("WARN", "orders", "price", "pricing 42"));
    assertThat(records).anySatisfy(r -> assertThat(r).extracting(LogRecord::level, LogRecord::gear, LogRecord::message)
        .containsExactly("INFO", "price", "priced 42"));
    assertThat(records).anySatisfy(r -> {
      assertThat(r.level()).isEqualTo("ERROR");
      assertThat(r.gear()).isEqualTo("audit");
      assertThat(r.message()).startsWith(tracking).contains("\"id\":42");
    });
  }

  @Test
  void crashesRestartsAndTheStopAreLoggedWithTheReason() throws Exception {
    machine.apply(TestConfigs.machine(List.of(new Gearbox("b").restarts(1, 60_000)
        .js("fragile", "export function receive(m) { throw new Error('no amount in ' + m.body.id); }").build())));
    String first = machine.send("b", "fragile", "{\"id\": 1}", Map.of(), null).tracking();
    await().atMost(PATIENCE).until(() -> lines().stream().anyMatch(r -> r.message().contains("restarted (restart 1)")));
    machine.send("b", "fragile", "{\"id\": 2}", Map.of(), null);
    await().atMost(PATIENCE).until(() -> machine.cell(new GearId("b", "fragile")).status() == GearCell.Status.STOPPED);
    machine.send("b", "fragile", "{\"id\": 3}", Map.of(), null);

    List<LogRecord> records = lines();
    assertThat(records).filteredOn(r -> "fragile".equals(r.gear())).extracting(LogRecord::level)
        .containsExactly("WARN", "ERROR", "WARN");
    assertThat(records.get(0).message()).contains("crashed on message " + first).contains("no amount in 1");
    assertThat(records.get(1).message()).contains("is stopped").contains("no amount in 2");
    assertThat(records.get(2).message()).contains("dead-lettered").contains("is stopped");
  }

  @Test
  void aRequestedRestartIsLogged() throws Exception {
    machine.apply(TestConfigs.machine(List.of(new Gearbox("b").gear("sink", "counter").build())));
    machine.cell(new GearId("b", "sink")).restart().get();
    assertThat(lines()).extracting(LogRecord::message).contains("restarted on request, with fresh state and restart budget");
  }

  private List<LogRecord> lines() {
    return machine.log().ring().tail(1000).records();
  }
}
