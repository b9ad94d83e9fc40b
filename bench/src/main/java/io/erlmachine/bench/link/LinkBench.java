package io.erlmachine.bench.link;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Iterator;
import java.util.Map;
import java.util.TreeMap;

/**
 * Two machines in local mode joined by a Pipeline transmission, beside two Node.js processes
 * joined by a NATS server, doing the same work on the same messages in the same run. Run by
 * bench/link.sh.
 */
public final class LinkBench {
  private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
  private static final HttpClient HTTP = HttpClient.newHttpClient();

  public static void main(String[] args) throws Exception {
    Path repo = Path.of(args[0]);
    Path output = Path.of(args[1]);
    int warmup = Integer.parseInt(args[2]);
    int messages = Integer.parseInt(args[3]);
    String natsServer = args[4];

    ObjectNode results = JSON.createObjectNode();
    results.put("cores", Runtime.getRuntime().availableProcessors());
    results.put("warmupMessages", warmup);
    results.put("messages", messages);
    results.set("nodeNats", summary(nodeOverNats(repo.resolve("bench/link"), natsServer, warmup, messages)));
    results.set("engine", summary(engineLink(repo, warmup, messages)));
    results.put("throughputRatioEngineToNodeNats", results.get("engine").get("messagesPerSecond").asDouble()
        / results.get("nodeNats").get("messagesPerSecond").asDouble());
    results.put("finishedAt", Instant.now().toString());
    Files.writeString(output, JSON.writeValueAsString(results) + "\n");
    Files.writeString(output.resolveSibling("link.md"), LinkReport.markdown(results));
    System.out.println(JSON.writeValueAsString(results));
  }

  private static JsonNode nodeOverNats(Path dir, String natsServer, int warmup, int messages) throws Exception {
    Process nats = new ProcessBuilder(natsServer, "-a", "127.0.0.1", "-p", "14222").redirectErrorStream(true)
        .redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
    try {
      Thread.sleep(500);
      Process consumer = new ProcessBuilder("node", "node-consumer.mjs", "nats://127.0.0.1:14222", Integer.toString(warmup),
          Integer.toString(messages)).directory(dir.toFile()).start();
      new BufferedReader(new InputStreamReader(consumer.getErrorStream(), StandardCharsets.UTF_8)).readLine();
      Process producer = new ProcessBuilder("node", "node-producer.mjs", "nats://127.0.0.1:14222", Integer.toString(warmup + messages))
          .directory(dir.toFile()).redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.INHERIT).start();
      String stats = new String(consumer.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
      producer.waitFor();
      consumer.waitFor();
      return JSON.readTree(stats);
    } finally {
      nats.destroy();
      nats.waitFor();
    }
  }

  private static JsonNode engineLink(Path repo, int warmup, int messages) throws Exception {
    Path manifests = Files.createTempDirectory("erlmachine-link");
    Files.copy(repo.resolve("bench/link/manifests/link.yaml"), manifests.resolve("link.yaml"));
    Files.writeString(manifests.resolve("code.yaml"), codeConfigMap(repo) + settingsConfigMap(warmup, messages));
    ProcessBuilder builder = new ProcessBuilder("bash", repo.resolve("erlmachine").toString(), "local", manifests.toString(),
        "--port", "18480").redirectErrorStream(true);
    builder.environment().put("ERLMACHINE_CACHE", manifests.resolve("cache").toString());
    Process local = builder.start();
    try {
      BufferedReader lines = new BufferedReader(new InputStreamReader(local.getInputStream(), StandardCharsets.UTF_8));
      String consumer = null;
      String line;
      while ((line = lines.readLine()) != null) {
        if (line.startsWith("default/consumer")) {
          consumer = line.substring(line.indexOf("http://")).trim();
        }
        if (line.startsWith("Edit the manifests")) {
          break;
        }
      }
      if (consumer == null) {
        throw new IllegalStateException("local mode did not start");
      }
      Thread.ofPlatform().daemon().start(() -> lines.lines().forEach(l -> { }));
      long deadline = System.nanoTime() + Duration.ofMinutes(10).toNanos();
      while (System.nanoTime() < deadline) {
        JsonNode state = JSON.readTree(HTTP.send(HttpRequest.newBuilder(URI.create(consumer + "/api/v1/gearboxes/consume/gears/work/state"))
            .build(), HttpResponse.BodyHandlers.ofString()).body());
        if (state.path("count").asLong() >= messages) {
          return state;
        }
        Thread.sleep(1000);
      }
      throw new IllegalStateException("the consumer machine did not receive every message within 10 minutes");
    } finally {
      local.destroy();
      local.waitFor();
    }
  }

  private static String codeConfigMap(Path repo) throws IOException {
    StringBuilder yaml = new StringBuilder("apiVersion: v1\nkind: ConfigMap\nmetadata: {name: link-code}\ndata:\n");
    for (Path file : new Path[] {repo.resolve("bench/link/work.mjs"), repo.resolve("bench/engine/functions.mjs"), repo.resolve("bench/engine/orders.mjs")}) {
      yaml.append("  ").append(file.getFileName()).append(": |\n");
      Files.readAllLines(file).forEach(l -> yaml.append("    ").append(l).append('\n'));
    }
    return yaml.toString();
  }

  private static String settingsConfigMap(int warmup, int messages) {
    return "---\napiVersion: v1\nkind: ConfigMap\nmetadata: {name: link-settings}\ndata: {warmup: \"" + warmup
        + "\", messages: \"" + messages + "\", perTick: \"200\"}\n";
  }

  /** Messages per second and latency percentiles from a stats object {count, first, last, buckets}. */
  static ObjectNode summary(JsonNode stats) {
    TreeMap<Integer, Long> buckets = new TreeMap<>();
    for (Iterator<Map.Entry<String, JsonNode>> it = stats.path("buckets").fields(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> bucket = it.next();
      buckets.put(Integer.parseInt(bucket.getKey()), bucket.getValue().asLong());
    }
    long count = stats.path("count").asLong();
    double seconds = Math.max(1, stats.path("last").asLong() - stats.path("first").asLong()) / 1000.0;
    ObjectNode summary = JSON.createObjectNode();
    summary.put("messages", count);
    summary.put("messagesPerSecond", count / seconds);
    summary.put("p50Millis", percentile(buckets, count, 0.50));
    summary.put("p99Millis", percentile(buckets, count, 0.99));
    return summary;
  }

  private static int percentile(TreeMap<Integer, Long> buckets, long count, double p) {
    long seen = 0;
    for (Map.Entry<Integer, Long> bucket : buckets.entrySet()) {
      seen += bucket.getValue();
      if (seen >= count * p) {
        return bucket.getKey();
      }
    }
    return buckets.isEmpty() ? 0 : buckets.lastKey();
  }
}
