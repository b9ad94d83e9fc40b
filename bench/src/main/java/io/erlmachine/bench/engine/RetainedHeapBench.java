package io.erlmachine.bench.engine;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.erlmachine.api.config.MachineConfig;
import io.erlmachine.api.config.MachineConfig.GearConfig;
import io.erlmachine.api.config.MachineConfig.GearboxConfig;
import io.erlmachine.api.config.MachineConfig.ShaftConfig;
import io.erlmachine.engine.js.JsPlatform;
import io.erlmachine.engine.js.RetainedHeapLimit;
import io.erlmachine.engine.machine.HostBudgets;
import io.erlmachine.engine.machine.HostResources;
import io.erlmachine.engine.machine.MachineRuntime;
import io.erlmachine.engine.runtime.GearCell;
import io.erlmachine.engine.runtime.GearId;
import io.erlmachine.engine.runtime.LatencyRecorder;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * What the retained-heap limit costs and how fast it finds a machine that keeps growing:
 * <ol>
 *   <li>the engine benchmark's pipeline with the limit off, at the host's default and at the
 *       16 MiB floor, in rounds taken in turn in one run;</li>
 *   <li>one check's cost at 100 KiB, 1 MiB and 10 MiB of state (small objects, the costly kind
 *       to walk) beside the time the same gear takes per message;</li>
 *   <li>detection: a gear that keeps about 1 KiB per message under 16 MiB and 64 MiB limits, sent
 *       one message at a time: how many messages and milliseconds after crossing the limit the
 *       message that found it was dead-lettered.</li>
 * </ol>
 * Run by bench/retained-heap.sh, which passes the JVM the compiler flags.
 */
public final class RetainedHeapBench {
  private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
  private static final MachineRuntime.Settings SETTINGS = new MachineRuntime.Settings(2, 256L << 20, 65_536, 1000, 100, 80);

  public static void main(String[] args) throws Exception {
    Path benchDir = Path.of(args[0]);
    Path output = Path.of(args[1]);
    int messages = Integer.parseInt(args[2]);
    ObjectNode results = JSON.createObjectNode();
    results.put("cores", Runtime.getRuntime().availableProcessors());
    results.put("maxHeapBytes", Runtime.getRuntime().maxMemory());
    results.put("loadAverageAtStart", ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage());
    try (JsPlatform platform = new JsPlatform()) {
      results.put("meterAvailable", platform.measuresRetainedHeap());
      results.set("pipeline", pipeline(platform, benchDir, messages));
      results.set("checkCost", checkCost(platform));
      results.set("detection", detection(platform));
    }
    results.put("loadAverageAtEnd", ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage());
    results.put("finishedAt", Instant.now().toString());
    Files.writeString(output, JSON.writeValueAsString(results) + "\n");
    System.out.println(JSON.writeValueAsString(results));
  }

  /** The pipeline under three settings, in {@code rounds} rounds taken in turn, so that all see the same computer. */
  private static ObjectNode pipeline(JsPlatform platform, Path benchDir, int messages) throws Exception {
    String[] inputs = orders(benchDir);
    String[] names = {"off", "hostDefault", "floor16MiB"};
    long defaultBudget = HostBudgets.Totals.defaultRetainedHeapBytes();
    long[] budgets = {0, defaultBudget, defaultBudget};
    long[] machineLimits = {0, 0, 16L << 20};
    List<HostResources> hosts = new ArrayList<>();
    List<MachineRuntime> machines = new ArrayList<>();
    try {
      for (int i = 0; i < names.length; i++) {
        HostResources host = new HostResources(2, HostBudgets.Totals.forOneMachine(65_536, 1000).withRetainedHeapBytes(budgets[i]));
        hosts.add(host);
        MachineRuntime machine = new MachineRuntime(platform, host, SETTINGS, id -> LatencyRecorder.NONE);
        machines.add(machine);
        MachineConfig config = EngineBench.pipelineConfig(benchDir);
        MachineConfig.Limits l = config.limits();
        machine.apply(new MachineConfig(config.format(), config.machine(), config.clutch(), new MachineConfig.Limits(l.mailboxCapacity(),
            l.maxMessageBytes(), l.messageTimeoutMillis(), l.statementLimit(), l.maxGears(), machineLimits[i]),
            config.outboundHosts(), config.applicationData(), config.gearboxes(), config.routes()));
        EngineBench.push(machine, inputs, messages, machine.cell(new GearId("orders", "sink")));
      }
      double[] seconds = new double[names.length];
      int rounds = 3;
      for (int round = 0; round < rounds; round++) {
        for (int i = 0; i < names.length; i++) {
          long start = System.nanoTime();
          EngineBench.push(machines.get(i), inputs, messages, machines.get(i).cell(new GearId("orders", "sink")));
          seconds[i] += (System.nanoTime() - start) / 1e9;
        }
      }
      ObjectNode result = JSON.createObjectNode();
      result.put("messagesPerRound", messages);
      result.put("rounds", rounds);
      for (int i = 0; i < names.length; i++) {
        RetainedHeapLimit limit = machines.get(i).retainedHeap();
        result.putObject(names[i])
            .put("limitBytes", limit.limitBytes())
            .put("messagesPerSecond", rounds * (double) messages / seconds[i])
            .put("checks", limit.checks())
            .put("checkMillisTotal", limit.checkNanos() / 1e6)
            .put("retainedBytes", limit.retainedBytes());
      }
      double off = result.get("off").get("messagesPerSecond").asDouble();
      result.put("ratioHostDefaultToOff", result.get("hostDefault").get("messagesPerSecond").asDouble() / off);
      result.put("ratioFloorToOff", result.get("floor16MiB").get("messagesPerSecond").asDouble() / off);
      return result;
    } finally {
      machines.forEach(MachineRuntime::close);
      hosts.forEach(HostResources::close);
    }
  }

  /** A gear that keeps {@code kept} bytes of small objects and throws about 256 KiB away per message, checked against a 64 MiB limit. */
  private static ArrayNode checkCost(JsPlatform platform) throws Exception {
    ArrayNode results = JSON.createArrayNode();
    for (long kept : new long[] {100L << 10, 1L << 20, 10L << 20}) {
      String code = """
          const kept = [];
          for (let i = 0; i < %d; i++) kept.push({ i, s: 'v' + i });
          export function receive(message, gear) {
            const garbage = [];
            for (let i = 0; i < 2048; i++) garbage.push({ i, n: message.body.n });
            return { n: garbage.length + kept.length };
          }
          """.formatted(kept / 175);
      try (HostResources host = new HostResources(2, HostBudgets.Totals.forOneMachine(65_536, 1000));
           MachineRuntime machine = new MachineRuntime(platform, host, SETTINGS, id -> LatencyRecorder.NONE)) {
        machine.apply(config("cost", code, 64L << 20));
        GearCell gear = machine.cell(new GearId("flow", "keep"));
        int messages = 20_000;
        long start = System.nanoTime();
        for (int i = 0; i < messages; i++) {
          send(machine, i);
        }
        awaitHandled(gear, messages);
        double laneMillis = (System.nanoTime() - start) / 1e6;
        RetainedHeapLimit limit = machine.retainedHeap();
        results.addObject()
            .put("keptBytesAsked", kept)
            .put("retainedBytesMeasured", limit.retainedBytes())
            .put("messages", messages)
            .put("microsPerMessage", laneMillis * 1000 / messages)
            .put("checks", limit.checks())
            .put("millisPerCheck", limit.checks() == 0 ? 0 : limit.checkNanos() / 1e6 / limit.checks())
            .put("checkShareOfTime", limit.checkNanos() / 1e6 / laneMillis);
      }
    }
    return results;
  }

  /** A gear keeping about 1 KiB per message, sent one at a time until it is found over its limit. */
  private static ArrayNode detection(JsPlatform platform) throws Exception {
    ArrayNode results = JSON.createArrayNode();
    String code = """
        const kept = [];
        export function receive(message, gear) {
          kept.push({ n: message.body.n, text: 'x'.repeat(1000) + message.body.n });
          return { n: kept.length };
        }
        """;
    for (long limitBytes : new long[] {16L << 20, 64L << 20}) {
      try (HostResources host = new HostResources(2, HostBudgets.Totals.forOneMachine(65_536, 1000));
           MachineRuntime machine = new MachineRuntime(platform, host, SETTINGS, id -> LatencyRecorder.NONE)) {
        machine.apply(config("grower", code, limitBytes));
        GearCell gear = machine.cell(new GearId("flow", "keep"));
        RetainedHeapLimit limit = machine.retainedHeap();
        List<long[]> samples = new ArrayList<>();
        List<Long> doneAt = new ArrayList<>();
        long checks = 0;
        int crossedAt = -1;
        for (int i = 0; i < 1_000_000 && crossedAt < 0; i++) {
          send(machine, i);
          awaitHandled(gear, i + 1);
          doneAt.add(System.nanoTime());
          if (gear.counters().failed() > 0) {
            crossedAt = i;
          } else if (limit.checks() != checks) {
            checks = limit.checks();
            samples.add(new long[] {i + 1, limit.retainedBytes()});
          }
        }
        ObjectNode result = results.addObject().put("limitBytes", limitBytes).put("deadLetteredMessage", crossedAt)
            .put("checks", limit.checks()).put("millisPerCheck", limit.checkNanos() / 1e6 / Math.max(1, limit.checks()));
        long waitUntil = System.nanoTime() + 5_000_000_000L;
        while (crossedAt >= 0 && machine.deadLetters().recent().isEmpty() && System.nanoTime() < waitUntil) {
          Thread.sleep(1);
        }
        result.put("reason", machine.deadLetters().recent().isEmpty() ? null : machine.deadLetters().recent().getFirst().reason());
        if (samples.size() >= 2) {
          // The last two measurements before the crossing: the first ones count caches a garbage collection clears later.
          long[] first = samples.get(samples.size() - 2);
          long[] last = samples.getLast();
          double bytesPerMessage = (last[1] - first[1]) / (double) (last[0] - first[0]);
          double freshBytes = first[1] - first[0] * bytesPerMessage;
          int crossing = (int) Math.ceil((limitBytes - freshBytes) / bytesPerMessage);
          result.put("bytesPerMessage", bytesPerMessage).put("crossingMessage", crossing)
              .put("messagesAfterCrossing", crossedAt + 1 - crossing)
              .put("millisAfterCrossing", crossing > 0 && crossing <= crossedAt
                  ? (doneAt.get(crossedAt) - doneAt.get(crossing - 1)) / 1e6 : 0);
          double perMessage = (doneAt.getLast() - doneAt.getFirst()) / 1e6 / Math.max(1, doneAt.size() - 1);
          result.put("millisPerMessageOneAtATime", perMessage);
        }
      }
    }
    return results;
  }

  private static MachineConfig config(String name, String code, long limitBytes) {
    List<GearConfig> gears = List.of(new GearConfig("in", "endpoint", null, null, null, null),
        new GearConfig("keep", "js", code, null, null, null), new GearConfig("count", "counter", null, null, null, null));
    return new MachineConfig(MachineConfig.FORMAT, new MachineConfig.Identity(name, "bench", 2, name + ".bench.svc.cluster.local"),
        "Engaged", new MachineConfig.Limits(10_000, 1 << 20, 5_000, 10_000_000, 100, limitBytes), List.of(), Map.of(),
        List.of(new GearboxConfig("flow", "Engaged", gears, List.of(new ShaftConfig("in", "keep"), new ShaftConfig("keep", "count")),
            Map.of(), List.of(), 5, 30_000, false)), List.of());
  }

  private static void send(MachineRuntime machine, int n) throws InterruptedException {
    while (machine.send("flow", "in", "{\"n\":" + n + "}", Map.of(), null).delivery() != GearCell.Delivery.ACCEPTED) {
      Thread.sleep(1);
    }
  }

  private static void awaitHandled(GearCell gear, long count) {
    while (gear.counters().processed() + gear.counters().failed() < count) {
      Thread.onSpinWait();
    }
  }

  private static String[] orders(Path benchDir) throws Exception {
    return EngineBench.orders(benchDir);
  }
}
