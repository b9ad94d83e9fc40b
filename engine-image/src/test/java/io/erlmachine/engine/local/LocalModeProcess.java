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
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** ./erlmachine local on a copy of an example directory, as a user runs it, with HTTP helpers for tests. */
final class LocalModeProcess implements AutoCloseable {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Pattern TABLE_ROW = Pattern.compile("^(\\S+/\\S+)\\s+(\\d+)\\s+(\\S+)\\s+(http://\\S+)$");
  private static final HttpClient HTTP = HttpClient.newHttpClient();
  final Map<String, String> urls = new ConcurrentHashMap<>();
  final Map<String, Long> serials = new ConcurrentHashMap<>();
  final List<String> output = new CopyOnWriteArrayList<>();
  final Path manifests;
  private final Path work;
  private final Process process;

  LocalModeProcess(String example, int port, int machines) throws IOException {
    this(copyOf(example), port, machines);
  }

  /** Local mode on a directory of manifests inside a working directory of its own (its parent). */
  LocalModeProcess(Path manifests, int port, int machines) throws IOException {
    Path root = Path.of(System.getProperty("erlmachine.repo.root"));
    this.manifests = manifests;
    this.work = manifests.getParent();
    ProcessBuilder builder = new ProcessBuilder("bash", root.resolve("erlmachine").toString(), "local", manifests.toString(),
        "--port", Integer.toString(port)).redirectErrorStream(true);
    builder.environment().put("ERLMACHINE_CACHE", work.resolve("cache").toString());
    process = builder.start();
    Thread.ofPlatform().daemon().start(this::readOutput);
    await().atMost(Duration.ofMinutes(4)).pollInterval(Duration.ofMillis(500))
        .failFast(() -> assertThat(process.isAlive()).as(() -> "local mode exited:\n" + String.join("\n", output)).isTrue())
        .until(() -> urls.size() == machines);
  }

  /** A new working directory holding a copy of an example's manifests; returns the copy. */
  static Path copyOf(String example) throws IOException {
    Path root = Path.of(System.getProperty("erlmachine.repo.root"));
    Path manifests = workDirectory(example).resolve(example);
    Files.createDirectories(manifests);
    try (var files = Files.list(root.resolve("deploy/examples").resolve(example))) {
      for (Path file : files.filter(f -> f.toString().endsWith(".yaml")).toList()) {
        Files.copy(file, manifests.resolve(file.getFileName()));
      }
    }
    return manifests;
  }

  static Path workDirectory(String name) throws IOException {
    return Files.createTempDirectory(Path.of("target"), "local-" + name).toAbsolutePath();
  }

  private void readOutput() {
    try (BufferedReader lines = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
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
  }

  /** The one engine host process that runs every machine (for killing it in a test). */
  ProcessHandle host() {
    return process.descendants().filter(p -> p.info().commandLine().orElse("").contains("quarkus-run.jar")).findFirst().orElseThrow();
  }

  /** The config file local mode rendered for a machine into the host's config directory. */
  Path hostConfig(String machine) throws IOException {
    String name = machine.replace('/', '-') + ".yaml";
    try (var files = Files.find(work.resolve("cache"), 4, (file, attributes) -> file.getFileName().toString().equals(name)
        && file.getParent().getFileName().toString().equals("configs"))) {
      return files.findFirst().orElseThrow(() -> new IllegalStateException("no rendered config for " + machine));
    }
  }

  private static boolean environmentMentions(ProcessHandle process, String text) {
    try {
      return new String(Files.readAllBytes(Path.of("/proc", Long.toString(process.pid()), "environ")), StandardCharsets.UTF_8).contains(text);
    } catch (IOException e) {
      return false;
    }
  }

  JsonNode get(String machine, String path) throws Exception {
    HttpResponse<String> response = HTTP.send(HttpRequest.newBuilder(URI.create(urls.get(machine) + path)).build(),
        HttpResponse.BodyHandlers.ofString());
    return JSON.readTree(response.body());
  }

  JsonNode post(String machine, String path, String body) throws Exception {
    HttpResponse<String> response = HTTP.send(HttpRequest.newBuilder(URI.create(urls.get(machine) + path))
        .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body)).build(),
        HttpResponse.BodyHandlers.ofString());
    assertThat(response.statusCode()).as(response.body()).isEqualTo(202);
    return JSON.readTree(response.body());
  }

  long processed(String machine, String gearbox, String gear) throws Exception {
    return get(machine, "/api/v1/gearboxes/" + gearbox + "/gears/" + gear).path("counters").path("processed").asLong();
  }

  @Override
  public void close() throws InterruptedException {
    process.destroy();
    assertThat(process.waitFor(30, TimeUnit.SECONDS)).as("local mode stops on SIGTERM").isTrue();
    assertThat(ProcessHandle.allProcesses().filter(p -> p.info().commandLine().orElse("").contains("quarkus-run.jar"))
        .filter(p -> environmentMentions(p, manifests.getFileName().toString())).count()).as("no engine left running").isZero();
  }
}
