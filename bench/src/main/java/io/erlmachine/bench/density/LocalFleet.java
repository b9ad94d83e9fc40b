package io.erlmachine.bench.density;

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
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** `./erlmachine local` on a directory of generated manifests, watched from outside as a user would. */
final class LocalFleet implements AutoCloseable {
  private static final Pattern TABLE_ROW = Pattern.compile("^(\\S+/\\S+)\\s+(\\d+)\\s+(\\S+)\\s+(http://\\S+)$");
  private static final Pattern ADDED = Pattern.compile("^\\[erlmachine\\] new machine (\\S+) \\(serial \\d+\\) at (http://\\S+)$");
  private static final Pattern READY = Pattern.compile("^(\\d+) machines ready in one engine host in ([0-9.]+) s.*");
  private static final ObjectMapper JSON = new ObjectMapper();
  static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
      .connectTimeout(Duration.ofSeconds(5)).build();

  final Map<String, String> urls = new ConcurrentHashMap<>();
  private final Path manifests;
  private final Process process;
  private final int port;
  private final CountDownLatch ready = new CountDownLatch(1);
  private final long startedNanos = System.nanoTime();
  private volatile double hostReportedSeconds;
  private volatile long readyNanos;

  LocalFleet(Path repo, Path work, String manifestsYaml, int port) throws IOException {
    this.port = port;
    manifests = work.resolve("manifests");
    Files.createDirectories(manifests);
    Files.writeString(manifests.resolve("fleet.yaml"), manifestsYaml);
    ProcessBuilder builder = new ProcessBuilder("bash", repo.resolve("erlmachine").toString(), "local", manifests.toString(),
        "--port", Integer.toString(port)).redirectErrorStream(true);
    builder.environment().put("ERLMACHINE_CACHE", work.resolve("cache").toString());
    process = builder.start();
    Thread.ofPlatform().daemon().start(this::readOutput);
  }

  /** Waits until local mode says every machine is ready; the seconds from start, as measured outside. */
  double awaitReady(Duration within) throws InterruptedException {
    if (!ready.await(within.toMillis(), TimeUnit.MILLISECONDS)) {
      throw new IllegalStateException("local mode was not ready within " + within);
    }
    return (readyNanos - startedNanos) / 1e9;
  }

  double hostReportedSeconds() {
    return hostReportedSeconds;
  }

  private void readOutput() {
    try (BufferedReader lines = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
      String line;
      while ((line = lines.readLine()) != null) {
        Matcher row = TABLE_ROW.matcher(line.trim());
        if (row.matches()) {
          urls.put(row.group(1), row.group(4));
        }
        Matcher added = ADDED.matcher(line.trim());
        if (added.matches()) {
          urls.put(added.group(1), added.group(2));
        }
        Matcher done = READY.matcher(line.trim());
        if (done.matches()) {
          hostReportedSeconds = Double.parseDouble(done.group(2));
          readyNanos = System.nanoTime();
          ready.countDown();
        }
        if (line.contains("ERROR") || line.startsWith("erlmachine local:")) {
          System.out.println(line);
        }
      }
    } catch (IOException e) {
      // local mode ended
    }
  }

  /** The engine host process (the JVM local mode starts). */
  ProcessHandle host() {
    return process.descendants().filter(p -> p.info().commandLine().orElse("").contains("quarkus-run.jar")).findFirst().orElseThrow();
  }

  long rssBytes() throws IOException {
    for (String line : Files.readAllLines(Path.of("/proc", Long.toString(host().pid()), "status"))) {
      if (line.startsWith("VmRSS:")) {
        return Long.parseLong(line.replaceAll("[^0-9]", "")) * 1024;
      }
    }
    throw new IllegalStateException("no VmRSS for the host");
  }

  /** Heap in use after a full collection, from jcmd. */
  long heapAfterGcBytes(Path javaHome) throws IOException, InterruptedException {
    String pid = Long.toString(host().pid());
    run(javaHome.resolve("bin/jcmd").toString(), pid, "GC.run");
    String info = run(javaHome.resolve("bin/jcmd").toString(), pid, "GC.heap_info");
    Matcher used = Pattern.compile("used (\\d+)K").matcher(info);
    if (!used.find()) {
      throw new IllegalStateException("cannot read the heap from: " + info);
    }
    return Long.parseLong(used.group(1)) * 1024;
  }

  private static String run(String... command) throws IOException, InterruptedException {
    Process jcmd = new ProcessBuilder(command).redirectErrorStream(true).start();
    String out = new String(jcmd.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    jcmd.waitFor();
    return out;
  }

  JsonNode hostState() throws IOException, InterruptedException {
    return JSON.readTree(HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/api/v1/host")).build(),
        HttpResponse.BodyHandlers.ofString()).body());
  }

  int post(String machine, String gearbox, String gear, String body) throws IOException, InterruptedException {
    return HTTP.send(HttpRequest.newBuilder(URI.create(urls.get(machine) + "/api/v1/gearboxes/" + gearbox + "/gears/" + gear + "/messages"))
        .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body)).build(),
        HttpResponse.BodyHandlers.discarding()).statusCode();
  }

  JsonNode get(String machine, String path) throws IOException, InterruptedException {
    return JSON.readTree(HTTP.send(HttpRequest.newBuilder(URI.create(urls.get(machine) + path)).build(),
        HttpResponse.BodyHandlers.ofString()).body());
  }

  List<String> machines() {
    return urls.keySet().stream().sorted().toList();
  }

  @Override
  public void close() throws InterruptedException {
    process.destroy();
    if (!process.waitFor(60, TimeUnit.SECONDS)) {
      process.descendants().forEach(ProcessHandle::destroyForcibly);
      process.destroyForcibly();
    }
  }

  /** Adds a machine that runs the fleet's gearbox, in a manifest file of its own, as a user adding one would. */
  void addMachine(String name) throws IOException {
    Path file = manifests.resolve(name + ".yaml");
    Path temporary = manifests.resolve("." + name + ".tmp");
    Files.writeString(temporary, machine(name));
    Files.move(temporary, file, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
  }

  private static String machine(String name) {
    return String.format("""
        apiVersion: erlmachine.io/v1alpha1
        kind: Machine
        metadata:
          name: %s
        spec:
          gearboxSelector:
            matchLabels: {stage: fleet}
        """, name);
  }

  /** One gearbox (endpoint → js → counter) and the given number of machines that run it. */
  static String fleet(int machines, String code) {
    StringBuilder yaml = new StringBuilder("""
        apiVersion: erlmachine.io/v1alpha1
        kind: Gearbox
        metadata:
          name: fleet
          labels: {stage: fleet}
        spec:
          gears:
            - {name: in, prototype: endpoint}
            - name: step
              prototype: js
              source:
                inline: |
        """);
    code.lines().forEach(line -> yaml.append("            ").append(line).append('\n'));
    yaml.append("""
            - {name: count, prototype: counter}
          shafts:
            - {from: in, to: step}
            - {from: step, to: count}
        """);
    for (int i = 1; i <= machines; i++) {
      yaml.append("---\n").append(machine(String.format("m-%05d", i)));
    }
    return yaml.toString();
  }
}
