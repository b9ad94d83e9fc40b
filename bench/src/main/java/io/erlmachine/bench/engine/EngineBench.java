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
 * The engine benchmarks: a pipeline of three JavaScript gears of one gearbox beside the same
 * functions in one bare GraalJS context and in Node.js; what a gearbox's context costs (create,
 * harden, retained heap) with 1,000 of them loaded; start-up to ready with and without the
 * optimizing compiler. Run by bench/engine.sh, which passes the JVM the compiler flags.
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
    results.put("loadAverageAtStart", ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage());
    results.set("node", node(benchDir, messages));
    results.set("singleContext", SingleContextPipeline.run(benchDir, orders(benchDir), messages));
    try (JsPlatform platform = new JsPlatform()) {
      results.put("compilerActive", platform.compilerActive());
      results.set("engine", pipeline(platform, benchDir, messages));
      results.set("contextCost", contextCost(platform, 1000));
    }
    double engineRate = results.get("engine").get("messagesPerSecond").asDouble();
    results.put("throughputRatioEngineToSingleContext", engineRate / results.get("singleContext").get("plainMessagesPerSecond").asDouble());
    results.put("throughputRatioEngineToNode", engineRate / results.get("node").get("messagesPerSecond").asDouble());
    results.set("startup", startup(engineApp, java, benchDir));
    results.put("loadAverageAtEnd", ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage());
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
  static void push(MachineRuntime machine, String[] inputs, int messages, GearCell sink) throws InterruptedException {
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

  static String[] orders(Path benchDir) throws IOException, InterruptedException {
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

  /**
   * What a machine's JavaScript costs, measured on {@code count} gearboxes of the shape the
   * density benchmark gives every machine (endpoint -> js -> counter): each gearbox is one
   * context, created, hardened (built-ins frozen) and given its gear's module instance; retained
   * heap is taken after every gearbox has handled a message. An empty context on the same engine
   * is measured beside it, so the difference is the hardening and the gear.
   */
  private static JsonNode contextCost(JsPlatform platform, int count) throws Exception {
    String code = "export function receive(message, gear) { gear.state.count = (gear.state.count || 0) + 1; return message.body; }";
    MachineConfig warmup = gearboxes(code, 50);
    try (MachineRuntime warm = new MachineRuntime(platform, settings(), id -> LatencyRecorder.NONE)) {
      warm.apply(warmup);
    }
    MachineConfig config = gearboxes(code, count);
    long heapBefore = usedHeapAfterGc();
    MachineRuntime machine = new MachineRuntime(platform, settings(), id -> LatencyRecorder.NONE);
    long start = System.nanoTime();
    machine.apply(config);
    for (GearboxConfig gearbox : config.gearboxes()) {
      machine.send(gearbox.name(), "in", "{\"n\":1}", Map.of(), null);
    }
    for (GearboxConfig gearbox : config.gearboxes()) {
      GearCell sink = machine.cell(new GearId(gearbox.name(), "sink"));
      while (sink.counters().processed() < 1) {
        Thread.sleep(1);
      }
    }
    double millis = (System.nanoTime() - start) / 1e6;
    long heapAfter = usedHeapAfterGc();
    ObjectNode result = JSON.createObjectNode();
    result.put("gearboxes", count);
    result.put("createHardenAndFirstMessageMillisPerGearbox", millis / count);
    result.put("retainedKiBPerGearbox", (heapAfter - heapBefore) / 1024.0 / count);
    machine.close();
    result.put("emptyContextMillis", emptyContextMillis(200));
    return result;
  }

  private static MachineConfig gearboxes(String code, int count) {
    List<GearboxConfig> boxes = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      boxes.add(new GearboxConfig("box-" + i, "Engaged", List.of(new GearConfig("in", "endpoint", null, null, null, null),
          new GearConfig("js", "js", code, null, null, null), new GearConfig("sink", "counter", null, null, null, null)),
          List.of(new ShaftConfig("in", "js"), new ShaftConfig("js", "sink")), Map.of(), List.of(), 5, 30_000, false));
    }
    return new MachineConfig(MachineConfig.FORMAT, new MachineConfig.Identity("many", "bench", 2, "many.bench.svc.cluster.local"),
        "Engaged", new MachineConfig.Limits(100, 1 << 20, 5_000, 10_000_000, 3 * count), List.of(), Map.of(), boxes, List.of());
  }

  /** Milliseconds to create a bare context on a shared engine and run one statement in it, warm. */
  private static double emptyContextMillis(int count) {
    try (org.graalvm.polyglot.Engine engine = org.graalvm.polyglot.Engine.newBuilder("js").option("engine.WarnInterpreterOnly", "false")
        .out(java.io.OutputStream.nullOutputStream()).err(java.io.OutputStream.nullOutputStream()).build()) {
      for (int i = 0; i < count; i++) {
        try (org.graalvm.polyglot.Context context = org.graalvm.polyglot.Context.newBuilder("js").engine(engine).build()) {
          context.eval("js", "1");
        }
      }
      long start = System.nanoTime();
      for (int i = 0; i < count; i++) {
        try (org.graalvm.polyglot.Context context = org.graalvm.polyglot.Context.newBuilder("js").engine(engine).build()) {
          context.eval("js", "1");
        }
      }
      return (System.nanoTime() - start) / 1e6 / count;
    }
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
