package io.erlmachine.bench.density;

import io.erlmachine.api.config.MachineConfig;
import io.erlmachine.api.config.MachineConfig.GearConfig;
import io.erlmachine.api.config.MachineConfig.GearboxConfig;
import io.erlmachine.api.config.MachineConfig.ShaftConfig;
import io.erlmachine.engine.js.JsPlatform;
import io.erlmachine.engine.machine.HostBudgets;
import io.erlmachine.engine.machine.HostResources;
import io.erlmachine.engine.machine.MachineRuntime;
import io.erlmachine.engine.runtime.LatencyRecorder;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * A machine's own start on a warm host, in process: a new machine runtime on shared host
 * resources, its config (the density benchmark's gearbox) applied, until it reports ready; no
 * config file and no listener. Rounds of MACHINES, p50 and p99 per round; the host's code was
 * seen before, so the gearbox's context waits for the first message.
 *
 * <pre>WarmHostApply MACHINES</pre> (run with the engine's compiler flags, see bench/density.sh)
 */
public final class WarmHostApply {
  private WarmHostApply() {
  }

  private static MachineConfig config(int serial) {
    String code = "export function receive(message) { return { seen: message.body.n, at: Date.now() }; }";
    return new MachineConfig(MachineConfig.FORMAT, new MachineConfig.Identity("m-" + serial, "default", serial, "m.default.svc.cluster.local"),
        "Engaged", new MachineConfig.Limits(1000, 1 << 20, 2000, 10_000_000, 1000), List.of(), Map.of(),
        List.of(new GearboxConfig("fleet", "Engaged", List.of(new GearConfig("in", "endpoint", null, null, null, null),
            new GearConfig("step", "js", code, null, null, null), new GearConfig("count", "counter", null, null, null, null)),
            List.of(new ShaftConfig("in", "step"), new ShaftConfig("step", "count")), Map.of(), List.of(), 5, 30_000, false)), List.of());
  }
  public static void main(String[] a) throws Exception {
    int n = Integer.parseInt(a[0]);
    try (JsPlatform platform = new JsPlatform(); HostResources host = new HostResources(2, HostBudgets.Totals.forOneMachine(65536, 1000))) {
      List<MachineRuntime> all = new ArrayList<>();
      for (int round = 0; round < 3; round++) {
        long[] t = new long[n];
        for (int i = 0; i < n; i++) {
          MachineConfig c = config(round * n + i + 1);
          long s = System.nanoTime();
          MachineRuntime m = new MachineRuntime(platform, host, new MachineRuntime.Settings(2, 256L << 20, 65536, 1000, 100, 80), id -> LatencyRecorder.NONE);
          m.apply(c);
          while (!m.ready()) Thread.onSpinWait();
          t[i] = System.nanoTime() - s;
          all.add(m);
        }
        Arrays.sort(t);
        System.out.printf("round %d: apply->ready p50 %.3f ms p99 %.3f ms (load %.1f)%n", round, t[n / 2] / 1e6, t[(int) (n * 0.99)] / 1e6,
            java.lang.management.ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage());
      }
      all.forEach(MachineRuntime::close);
    }
  }
}
