package io.erlmachine.engine.machine;

import io.erlmachine.api.config.MachineConfig.GearboxConfig;
import io.erlmachine.engine.runtime.GearCell;
import io.erlmachine.engine.selftest.SelfTestResult;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/** A running gearbox: its gears, its clutch, and its latest self-test results. */
public final class GearboxRuntime {
  /** Where a gearbox stands. */
  public enum Phase { RUNNING, DISENGAGED, DEGRADED }

  /** The latest run of the gearbox's self-tests. */
  public record SelfTestRun(Instant finishedAt, List<SelfTestResult> results) {
    public boolean passed() {
      return results.stream().allMatch(SelfTestResult::passed);
    }
  }

  private final String name;
  private volatile GearboxConfig config;
  private volatile Map<String, GearCell> cells = Map.of();
  private volatile boolean engaged = true;
  private volatile SelfTestRun selfTests;

  GearboxRuntime(String name) {
    this.name = name;
  }

  public String name() {
    return name;
  }

  public GearboxConfig config() {
    return config;
  }

  void config(GearboxConfig newConfig) {
    this.config = newConfig;
  }

  /** The gears, in declaration order. */
  public Map<String, GearCell> cells() {
    return cells;
  }

  void cells(Map<String, GearCell> newCells) {
    this.cells = newCells;
  }

  public boolean engaged() {
    return engaged;
  }

  void engaged(boolean value) {
    this.engaged = value;
  }

  public SelfTestRun selfTests() {
    return selfTests;
  }

  void selfTests(SelfTestRun run) {
    this.selfTests = run;
  }

  public Phase phase() {
    if (cells.values().stream().anyMatch(cell -> cell.status() == GearCell.Status.STOPPED)) {
      return Phase.DEGRADED;
    }
    return engaged ? Phase.RUNNING : Phase.DISENGAGED;
  }

  /** Whether this gearbox lets the machine report ready. */
  public boolean ready() {
    if (phase() == Phase.DEGRADED) {
      return false;
    }
    if (!config.selfTestsGateReadiness() || config.selfTests() == null || config.selfTests().isEmpty()) {
      return true;
    }
    SelfTestRun run = selfTests;
    return run != null && run.passed();
  }
}
