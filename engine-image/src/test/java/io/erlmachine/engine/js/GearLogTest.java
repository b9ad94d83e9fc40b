package io.erlmachine.engine.js;

import static org.assertj.core.api.Assertions.assertThat;

import io.erlmachine.engine.runtime.GearId;
import org.junit.jupiter.api.Test;

class GearLogTest {

  @Test
  void aGearThatLogsInALoopIsHeldToItsRate() {
    GearLog log = new GearLog(new GearId("b", "chatty"), 50);
    for (int i = 0; i < 1000; i++) {
      log.write("INFO", "line " + i);
    }
    assertThat(log.suppressed()).isBetween(940L, 950L);
  }
}
