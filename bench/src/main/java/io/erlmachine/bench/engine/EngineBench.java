package io.erlmachine.bench.engine;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.erlmachine.api.config.MachineConfig;
import io.erlmachine.api.config.MachineConfig.GearConfig;
import io.erlmachine.api.config.MachineConfig.GearboxConfig;
import io.erlmachine.api.config.MachineConfig.ShaftConfig;
import io.erlmachine.api.config.MachineConfigCodec;
import io.erlmachine.engine.js.JsPlatform;
import io.erlmachine.engine.machine.MachineRuntime;
import io.erlmachine.engine.runtime.GearCell;
import io.erlmachine.engine.runtime.GearId;
import io.erlmachine.engine.runtime.LatencyRecorder;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The engine benchmarks: a pipeline of three JavaScript gears beside Node.js running the same
 * functions; the cost of a gear's context with 1,000 gears loaded; start-up to ready with and
 * without the optimizing compiler. Run by bench/engine.sh, which passes the JVM the compiler flags.
 */
public final class EngineBench {
  private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
  private static final String[] STEPS = {"validate", "enrich", "summarize"};

  public static void main(String[] args) throws Exception {
    Path benchDir = Path.of(args[0]);
    Path engineApp = Path.of(args[1]);
    Path output = Path.of(args[2]);
    int messages = Integer.parseInt(args[3]);
    String java = args[4];

    ObjectNode results = JSON.createObjectNode();
    results.put("cores", Runtime.getRuntime().availableProcessors());
    results.set("node", node(benchDir, messages));
    try (JsPlatform platform = new JsPlatform()) {
      results.put("compilerActive", platform.compilerActive());
      results.set("engine", pipeline(platform, benchDir, messages));
      results.set("contextCost", contextCost(platform, 1000));
    }
    results.put("throughputRatioEngineToNode", results.get("engine").get("messagesPerSecond").asDouble()
        / results.get("node").get("messagesPerSecond").asDouble());
    results.set("startup", startup(engineApp, java, benchDir));
    results.put("finishedAt", Instant.now().toString());
    Files.writeString(output, JSON.writeValueAsString(results) + "\n");
    Files.writeString(output.resolveSibling("engine.md"), EngineReport.markdown(results, messages));
    System.out.println(JSON.writeValueAsString(results));
  }

  private static JsonNode node(Path benchDir, int messages) throws IOException, InterruptedException {
    Process node = new ProcessBuilder("node", "node-pipeline.mjs", String.valueOf(messages), String.valueOf(messages))
        .directory(benchDir.toFile()).redirectError(ProcessBuilder.Redirect.INHERIT).start();
    String line = new String(node.getInputStream().readAllBytes()).trim();
    if (node.waitFor() != 0) {
      throw new IllegalStateException("node failed");
    }
    return JSON.readTree(line);
  }

  static MachineConfig pipelineConfig(Path benchDir) throws IOException {
    String functions = Files.readString(benchDir.resolve("functions.mjs"));
    List<GearConfig> gears = new ArrayList<>();
    List<ShaftConfig> shafts = new ArrayList<>();
    for (int i = 0; i < STEPS.length; i++) {
      gears.add(new GearConfig(STEPS[i], "js", functions + "\nexport function receive(message) { return " + STEPS[i] + "(message.body); }\n",
          null, null, null));
      shafts.add(new ShaftConfig(STEPS[i], i + 1 < STEPS.length ? STEPS[i + 1] : "sink"));
    }
    gears.add(new GearConfig("sink", "counter", null, null, null, null));
    return new MachineConfig(MachineConfig.FORMAT, new MachineConfig.Identity("bench", "bench", 1, "bench.bench.svc.cluster.local"),
        "Engaged", new MachineConfig.Limits(10_000, 1 << 20, 5_000, 10_000_000, 2000), List.of(), Map.of(),
        List.of(new GearboxConfig("orders", "Engaged", gears, shafts, Map.of(), List.of(), 5, 30_000, false)), List.of());
  }

  private static JsonNode pipeline(JsPlatform platform, Path benchDir, int messages) throws Exception {
    Map<GearId, Samples> samples = new HashMap<>();
    try (MachineRuntime machine = new MachineRuntime(platform, settings(), id -> samples.computeIfAbsent(id, x -> new Samples(200_000)))) {
      machine.apply(pipelineConfig(benchDir));
      String[] inputs = orders(benchDir);
      GearCell sink = machine.cell(new GearId("orders", "sink"));
      push(machine, inputs, messages, sink);
      samples.values().forEach(Samples::start);
      long start = System.nanoTime();
      push(machine, inputs, messages, sink);
      double seconds = (System.nanoTime() - start) / 1e9;
      ObjectNode result = JSON.createObjectNode();
      result.put("messagesPerSecond", messages / seconds);
      var hops = result.putArray("hopMicros");
      for (String step : STEPS) {
        Samples s = samples.get(new GearId("orders", step));
        hops.addObject().put("gear", step).put("p50", s.percentileMicros(0.5)).put("p99", s.percentileMicros(0.99));
      }
      return result;
    }
  }

  /** Sends the messages as fast as the first gear takes them, then waits until the sink has them all. */
  private static void push(MachineRuntime machine, String[] inputs, int messages, GearCell sink) throws InterruptedException {
    long target = sink.counters().processed() + messages;
    for (int i = 0; i < messages; i++) {
      while (machine.send("orders", "validate", inputs[i % inputs.length], Map.of(), null).delivery() != GearCell.Delivery.ACCEPTED) {
        java.util.concurrent.locks.LockSupport.parkNanos(20_000);
      }
    }
    while (sink.counters().processed() < target) {
      Thread.sleep(1);
    }
  }

  private static String[] orders(Path benchDir) throws IOException, InterruptedException {
    Process node = new ProcessBuilder("node", "--input-type=module", "-e",
        "import { order } from './orders.mjs'; console.log(JSON.stringify(Array.from({ length: 1000 }, (_, i) => order(i))));")
        .directory(benchDir.toFile()).redirectError(ProcessBuilder.Redirect.INHERIT).start();
    JsonNode list = JSON.readTree(node.getInputStream().readAllBytes());
    node.waitFor();
    String[] inputs = new String[list.size()];
    for (int i = 0; i < inputs.length; i++) {
      inputs[i] = list.get(i).asText();
    }
    return inputs;
  }

  private static JsonNode contextCost(JsPlatform platform, int gears) throws Exception {
    List<GearConfig> configs = new ArrayList<>();
    for (int i = 0; i < gears; i++) {
      configs.add(new GearConfig("gear-" + i, "js",
          "export function receive(message, gear) { gear.state.count = (gear.state.count || 0) + 1; return message.body; }", null, null, null));
    }
    MachineConfig config = new MachineConfig(MachineConfig.FORMAT, new MachineConfig.Identity("many", "bench", 2, "many.bench.svc.cluster.local"),
        "Engaged", new MachineConfig.Limits(100, 1 << 20, 5_000, 10_000_000, gears), List.of(), Map.of(),
        List.of(new GearboxConfig("many", "Engaged", configs, List.of(), Map.of(), List.of(), 5, 30_000, false)), List.of());
    try (MachineRuntime warm = new MachineRuntime(platform, settings(), id -> LatencyRecorder.NONE)) {
      warm.apply(new MachineConfig(config.format(), config.machine(), config.clutch(), config.limits(), List.of(), Map.of(),
          List.of(new GearboxConfig("many", "Engaged", configs.subList(0, 50), List.of(), Map.of(), List.of(), 5, 30_000, false)), List.of()));
    }
    long heapBefore = usedHeapAfterGc();
    MachineRuntime machine = new MachineRuntime(platform, settings(), id -> LatencyRecorder.NONE);
    long start = System.nanoTime();
    machine.apply(config);
    double millis = (System.nanoTime() - start) / 1e6;
    long heapAfter = usedHeapAfterGc();
    ObjectNode result = JSON.createObjectNode();
    result.put("gears", gears);
    result.put("loadMillisPerGear", millis / gears);
    result.put("retainedKiBPerGear", (heapAfter - heapBefore) / 1024.0 / gears);
    machine.close();
    return result;
  }

  private static long usedHeapAfterGc() throws InterruptedException {
    for (int i = 0; i < 3; i++) {
      System.gc();
      Thread.sleep(200);
    }
    return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
  }

  private static JsonNode startup(Path engineApp, String java, Path benchDir) throws Exception {
    Path config = Files.createTempFile("erlmachine-bench", ".yaml");
    Files.writeString(config, MachineConfigCodec.toYaml(pipelineConfig(benchDir)));
    ObjectNode result = JSON.createObjectNode();
    result.put("withCompilerSeconds", startupSeconds(engineApp, java, config, true));
    result.put("withoutCompilerSeconds", startupSeconds(engineApp, java, config, false));
    Files.delete(config);
    return result;
  }

  /** Seconds from launching the packaged engine until its readiness probe answers 200. */
  private static double startupSeconds(Path engineApp, String java, Path config, boolean compiler) throws Exception {
    int port = 18_500 + (compiler ? 1 : 2);
    List<String> command = new ArrayList<>(List.of(java));
    if (compiler) {
      command.add("@engine.jvmargs");
    }
    command.addAll(List.of("-jar", "quarkus-run.jar"));
    ProcessBuilder builder = new ProcessBuilder(command).directory(engineApp.toFile()).redirectErrorStream(true)
        .redirectOutput(ProcessBuilder.Redirect.DISCARD);
    builder.environment().put("ERLMACHINE_CONFIG", config.toString());
    builder.environment().put("ERLMACHINE_HTTP_PORT", String.valueOf(port));
    HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofMillis(200)).build();
    long start = System.nanoTime();
    Process engine = builder.start();
    try {
      while (true) {
        try {
          HttpResponse<Void> response = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/q/health/ready")).build(),
              HttpResponse.BodyHandlers.discarding());
          if (response.statusCode() == 200) {
            return (System.nanoTime() - start) / 1e9;
          }
        } catch (IOException notYet) {
          // not listening yet
        }
        if (!engine.isAlive()) {
          throw new IllegalStateException("the engine exited with " + engine.exitValue());
        }
        Thread.sleep(20);
      }
    } finally {
      engine.destroy();
      engine.waitFor();
    }
  }

  private static MachineRuntime.Settings settings() {
    return new MachineRuntime.Settings(Math.max(2, Runtime.getRuntime().availableProcessors()), 256L << 20, 65_536, 1000, 100, 80);
  }
}
