package io.erlmachine.engine;

import io.erlmachine.api.config.MachineConfig;
import io.erlmachine.api.config.MachineConfig.GearConfig;
import io.erlmachine.api.config.MachineConfig.GearboxConfig;
import io.erlmachine.api.config.MachineConfig.ShaftConfig;
import io.erlmachine.api.v1alpha1.spec.SelfTest;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** Builds machine configs for tests, with small limits unless a test needs others. */
public final class TestConfigs {
  private TestConfigs() {
  }

  public static MachineConfig machine(List<GearboxConfig> gearboxes) {
    return machine(new MachineConfig.Limits(100, 1 << 20, 2000, 10_000_000, 2000), Map.of(), gearboxes);
  }

  public static MachineConfig machine(MachineConfig.Limits limits, Map<String, String> data, List<GearboxConfig> gearboxes) {
    return new MachineConfig(MachineConfig.FORMAT, new MachineConfig.Identity("m1", "test", 7, "m1.test.svc.cluster.local"),
        "Engaged", limits, List.of(), data, gearboxes, List.of());
  }

  /** A gearbox builder: gears in order, shafts as "from->to". */
  public static final class Gearbox {
    private final String name;
    private final List<GearConfig> gears = new ArrayList<>();
    private final List<ShaftConfig> shafts = new ArrayList<>();
    private final List<SelfTest> selfTests = new ArrayList<>();
    private int maxRestarts = 5;
    private long windowMillis = 30_000;
    private boolean gate;

    public Gearbox(String name) {
      this.name = name;
    }

    public Gearbox js(String gear, String source) {
      gears.add(new GearConfig(gear, "js", source, null, null, null));
      return this;
    }

    public Gearbox gear(String gear, String prototype) {
      gears.add(new GearConfig(gear, prototype, null, null, null, null));
      return this;
    }

    public Gearbox gear(GearConfig gear) {
      gears.add(gear);
      return this;
    }

    public Gearbox shaft(String from, String to) {
      shafts.add(new ShaftConfig(from, to));
      return this;
    }

    public Gearbox selfTest(SelfTest test) {
      selfTests.add(test);
      return this;
    }

    public Gearbox restarts(int max, long window) {
      this.maxRestarts = max;
      this.windowMillis = window;
      return this;
    }

    public Gearbox gateReadiness() {
      this.gate = true;
      return this;
    }

    public GearboxConfig build() {
      return new GearboxConfig(name, "Engaged", List.copyOf(gears), List.copyOf(shafts), Map.of(), List.copyOf(selfTests),
          maxRestarts, windowMillis, gate);
    }
  }
}
