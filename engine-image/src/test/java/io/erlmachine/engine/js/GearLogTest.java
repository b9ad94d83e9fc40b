package io.erlmachine.engine.js;

import static org.assertj.core.api.Assertions.assertThat;

import io.erlmachine.engine.logs.LogRecord;
import io.erlmachine.engine.logs.MachineLog;
import io.erlmachine.engine.runtime.GearId;
import java.util.List;
import org.junit.jupiter.api.Test;

class GearLogTest {

  @Test
  void aGearThatLogsInALoopIsHeldToItsRate() {
    MachineLog machine = new MachineLog(() -> 1L << 30);
    GearLog log = new GearLog(new GearId("b", "chatty"), 50, machine);
    for (int i = 0; i < 1000; i++) {
      log.write("INFO", "line " + i);
    }
    assertThat(log.suppressed()).isBetween(940L, 950L);
    assertThat(machine.ring().tail(10_000).records()).hasSize((int) (1000 - log.suppressed()));
  }

  @Test
  void linesGoToTheMachinesLogWithGearLevelAndCut() {
    MachineLog machine = new MachineLog(() -> 1L << 20);
    GearLog log = new GearLog(new GearId("orders", "price"), 100, machine);
    log.write("WARN", "no price for 42");
    log.write("ERROR", "y".repeat(5000));
    List<LogRecord> records = machine.ring().tail(10).records();
    assertThat(records).extracting(LogRecord::gearbox).containsOnly("orders");
    assertThat(records).extracting(LogRecord::gear).containsOnly("price");
    assertThat(records).extracting(LogRecord::level).containsExactly("WARN", "ERROR");
    assertThat(records.getFirst().message()).isEqualTo("no price for 42");
    assertThat(records.getLast().message()).startsWith("y".repeat(MachineLog.MAX_LINE)).endsWith("... (5000 characters)");
  }
}
