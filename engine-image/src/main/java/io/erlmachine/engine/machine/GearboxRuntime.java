package io.erlmachine.engine.machine;

import io.erlmachine.api.config.MachineConfig.GearboxConfig;
import io.erlmachine.engine.js.GearboxContext;
import io.erlmachine.engine.runtime.GearCell;
import io.erlmachine.engine.runtime.SerialLane;
import io.erlmachine.engine.selftest.SelfTestResult;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * A running gearbox: its gears, its clutch, its latest self-test results, and the JavaScript
 * context its gears share with the lane that runs them one at a time.
 */
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
  private final SerialLane lane;
  private volatile GearboxContext context;
  private volatile GearboxConfig config;
  private volatile Map<String, GearCell> cells = Map.of();
  private volatile boolean engaged = true;
  private volatile SelfTestRun selfTests;

  GearboxRuntime(String name, SerialLane lane) {
    this.name = name;
    this.lane = lane;
  }

  /** Where everything that touches the gearbox's gears and context runs, one task at a time. */
  public SerialLane lane() {
    return lane;
  }

  public GearboxContext context() {
    return context;
  }

  /** Switches to a new context; the previous one closes once its gears have moved over. */
  void context(GearboxContext newContext) {
    GearboxContext previous = context;
    context = newContext;
    if (previous != null && previous != newContext) {
      previous.retire();
    }
  }

  /** Closes the context, once no gear of the gearbox runs any more. */
  void closeContext() {
    if (context != null) {
      context.close();
    }
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
