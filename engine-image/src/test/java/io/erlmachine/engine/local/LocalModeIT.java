package io.erlmachine.engine.local;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
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
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The README's local mode: ./erlmachine local on the orders example, over real HTTP on loopback addresses. */
class LocalModeIT {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Pattern TABLE_ROW = Pattern.compile("^(\\S+/\\S+)\\s+(\\d+)\\s+(\\S+)\\s+(http://\\S+)$");
  private static final HttpClient HTTP = HttpClient.newHttpClient();
  private static final Map<String, String> urls = new ConcurrentHashMap<>();
  private static final Map<String, Long> serials = new ConcurrentHashMap<>();
  private static final List<String> output = new CopyOnWriteArrayList<>();
  private static Path manifests;
  private static Process local;

  @BeforeAll
  static void startLocalMode() throws IOException {
    Path root = Path.of(System.getProperty("erlmachine.repo.root"));
    Path work = Files.createTempDirectory(Path.of("target"), "local-mode").toAbsolutePath();
    manifests = work.resolve("orders");
    Files.createDirectories(manifests);
    try (var files = Files.list(root.resolve("deploy/examples/orders"))) {
      for (Path file : files.filter(f -> f.toString().endsWith(".yaml")).toList()) {
        Files.copy(file, manifests.resolve(file.getFileName()));
      }
    }
    ProcessBuilder builder = new ProcessBuilder("bash", root.resolve("erlmachine").toString(), "local", manifests.toString(),
        "--port", "18190").redirectErrorStream(true);
    builder.environment().put("ERLMACHINE_CACHE", work.resolve("cache").toString());
    local = builder.start();
    Thread.ofPlatform().daemon().start(() -> {
      try (BufferedReader lines = new BufferedReader(new InputStreamReader(local.getInputStream(), StandardCharsets.UTF_8))) {
        String line;
        while ((line = lines.readLine()) != null) {
          output.add(line);
          Matcher row = TABLE_ROW.matcher(line.trim());
          if (row.matches()) {
            serials.put(row.group(1), Long.parseLong(row.group(2)));
            urls.put(row.group(1), row.group(4));
          }
        }
      } catch (IOException e) {
        // the process ended
      }
    });
    await().atMost(Duration.ofMinutes(4)).pollInterval(Duration.ofMillis(500))
        .failFast("local mode exited:\n" + String.join("\n", output), () -> !local.isAlive())
        .until(() -> urls.size() == 3);
  }

  @AfterAll
  static void stop() throws InterruptedException {
    if (local != null) {
      local.destroy();
      assertThat(local.waitFor(30, java.util.concurrent.TimeUnit.SECONDS)).as("local mode stops on SIGTERM").isTrue();
      assertThat(ProcessHandle.allProcesses().filter(p -> p.info().commandLine().orElse("").contains(manifests.toString())).count())
          .as("no engine left running").isZero();
    }
  }

  @Test
  void everyMachineRunsWithASerialAndItsDnsName() throws Exception {
    assertThat(serials).containsOnlyKeys("default/archive", "default/gateway", "default/validator-1");
    assertThat(serials.values()).doesNotHaveDuplicates();
    JsonNode gateway = get("default/gateway", "/api/v1/machine");
    assertThat(gateway.path("dnsName").asText()).isEqualTo("gateway.default.svc.cluster.local");
    assertThat(gateway.path("serial").asLong()).isEqualTo(serials.get("default/gateway"));
    assertThat(gateway.path("compiler").path("active").asBoolean()).isTrue();
    await().atMost(Duration.ofSeconds(30)).until(() -> get("default/gateway", "/api/v1/machine").path("ready").asBoolean());
  }

  @Test
  void messagesFlowThroughTheExampleGearboxes() throws Exception {
    String tracking = post("default/gateway", "/api/v1/gearboxes/intake/gears/orders/messages", "{\"id\": 7, \"total\": 12.5}")
        .path("tracking").asText();
    assertThat(tracking).startsWith(serials.get("default/gateway") + "-");
    await().atMost(Duration.ofSeconds(30)).until(() ->
        get("default/gateway", "/api/v1/tracks/" + tracking).path("hops").size() == 4);

    long before = accepted();
    post("default/validator-1", "/api/v1/gearboxes/validation/gears/check/messages", "{\"id\": 1, \"total\": -5}");
    post("default/validator-1", "/api/v1/gearboxes/validation/gears/check/messages", "{\"id\": 2, \"total\": 50}");
    await().atMost(Duration.ofSeconds(30)).until(() -> get("default/validator-1",
        "/api/v1/gearboxes/validation/gears/valid-only").path("counters").path("processed").asLong() >= 2);
    await().atMost(Duration.ofSeconds(10)).until(() -> accepted() == before + 1);
  }

  @Test
  void editingAManifestReloadsTheEngineWithoutRestartingIt() throws Exception {
    Path gearboxes = manifests.resolve("gearboxes.yaml");
    String original = Files.readString(gearboxes);
    long serial = get("default/validator-1", "/api/v1/machine").path("serial").asLong();
    rewriteAndAwaitReload(gearboxes, original.replace("export const maxTotal = 10000;", "export const maxTotal = 10;"));
    try {
      JsonNode result = get("default/validator-1", "/api/v1/machine").path("lastReload").path("result");
      assertThat(result.path("updated").asInt()).as("the gearbox's two JavaScript gears, which may import the changed tool").isEqualTo(2);
      assertThat(result.path("unchanged").asInt()).as("the counter keeps its state").isEqualTo(1);
      long before = accepted();
      post("default/validator-1", "/api/v1/gearboxes/validation/gears/check/messages", "{\"id\": 3, \"total\": 50}");
      await().atMost(Duration.ofSeconds(10)).until(() -> get("default/validator-1",
          "/api/v1/gearboxes/validation/gears/valid-only").path("counters").path("processed").asLong() > 0);
      Thread.sleep(500);
      assertThat(accepted()).as("50 is above the reloaded maxTotal of 10").isEqualTo(before);
      assertThat(get("default/validator-1", "/api/v1/machine").path("serial").asLong()).isEqualTo(serial);
    } finally {
      rewriteAndAwaitReload(gearboxes, original);
    }
  }

  private static void rewriteAndAwaitReload(Path file, String content) throws Exception {
    String before = get("default/validator-1", "/api/v1/machine").path("lastReload").path("at").asText();
    Files.writeString(file, content);
    await().atMost(Duration.ofSeconds(30)).until(() ->
        !get("default/validator-1", "/api/v1/machine").path("lastReload").path("at").asText().equals(before));
  }

  private static long accepted() throws Exception {
    return get("default/validator-1", "/api/v1/gearboxes/validation/gears/accepted/state").path("count").asLong();
  }

  private static JsonNode get(String machine, String path) throws Exception {
    HttpResponse<String> response = HTTP.send(HttpRequest.newBuilder(URI.create(urls.get(machine) + path)).build(),
        HttpResponse.BodyHandlers.ofString());
    return JSON.readTree(response.body());
  }

  private static JsonNode post(String machine, String path, String body) throws Exception {
    HttpResponse<String> response = HTTP.send(HttpRequest.newBuilder(URI.create(urls.get(machine) + path))
        .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body)).build(),
        HttpResponse.BodyHandlers.ofString());
    assertThat(response.statusCode()).as(response.body()).isEqualTo(202);
    return JSON.readTree(response.body());
  }
}
