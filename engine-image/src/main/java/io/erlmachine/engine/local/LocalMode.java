package io.erlmachine.engine.local;

import io.erlmachine.api.config.MachineConfigCodec;
import io.erlmachine.api.manifests.ManifestSet;
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
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * Runs a directory of Erlmachine manifests on this computer: one engine process per Machine on
 * its own loopback address, the machines' DNS names mapped to those addresses, configs rendered
 * as the operator renders them and re-rendered when the manifests change (the engines reload
 * them). Ctrl-C stops everything.
 *
 * <pre>erlmachine local DIRECTORY [--port PORT]</pre>
 */
public final class LocalMode {
  private static final Duration READY_WITHIN = Duration.ofMinutes(3);

  private final Path manifests;
  private final Path engineApp;
  private final Path state;
  private final int port;
  private final LocalSerials serials;
  private final Map<String, Process> engines = new java.util.concurrent.ConcurrentHashMap<>();
  private final Map<String, LocalPlan.LocalMachine> running = new LinkedHashMap<>();
  private Path hosts;
  private volatile boolean stopping;
  private final Map<String, String> renderedConfigs = new LinkedHashMap<>();

  LocalMode(Path manifests, Path engineApp, Path state, int port) {
    this.manifests = manifests;
    this.engineApp = engineApp;
    this.state = state;
    this.port = port;
    this.serials = new LocalSerials(state.resolve("serials.properties"));
  }

  public static void main(String[] args) throws Exception {
    if (args.length < 1 || args[0].startsWith("-")) {
      System.err.println("usage: erlmachine local DIRECTORY [--port PORT]");
      System.exit(2);
    }
    Path directory = Path.of(args[0]).toAbsolutePath().normalize();
    if (!Files.isDirectory(directory)) {
      System.err.println("erlmachine local: " + directory + " is not a directory of manifests");
      System.exit(2);
    }
    int port = args.length >= 3 && "--port".equals(args[1]) ? Integer.parseInt(args[2]) : 8080;
    Path engineApp = Path.of(System.getProperty("erlmachine.engine.app", "engine-image/target/quarkus-app")).toAbsolutePath();
    LocalMode local = new LocalMode(directory, engineApp, stateDirectory(directory), port);
    Runtime.getRuntime().addShutdownHook(new Thread(local::stop, "erlmachine-local-stop"));
    try {
      local.run();
    } catch (IllegalArgumentException e) {
      System.err.println("erlmachine local: " + e.getMessage());
      System.exit(1);
    }
  }

  private void run() throws Exception {
    List<LocalPlan.LocalMachine> plan = new LocalPlan().plan(ManifestSet.read(manifests), serials::serialOf);
    if (plan.isEmpty()) {
      throw new IllegalArgumentException(manifests + " declares no Machine");
    }
    Files.createDirectories(state.resolve("configs"));
    hosts = writeHosts(plan);
    for (LocalPlan.LocalMachine machine : plan) {
      writeConfig(machine);
      running.put(machine.key(), machine);
      engines.put(machine.key(), start(machine, hosts));
    }
    awaitReady(plan);
    printTable(plan);
    watch();
  }

  private Process start(LocalPlan.LocalMachine machine, Path hosts) throws IOException {
    String java = ProcessHandle.current().info().command().orElse("java");
    ProcessBuilder builder = new ProcessBuilder(java, "@engine.jvmargs", "-Djdk.net.hosts.file=" + hosts, "-Xmx512m",
        "-jar", "quarkus-run.jar").directory(engineApp.toFile()).redirectErrorStream(true);
    builder.environment().put("ERLMACHINE_CONFIG", configFile(machine).toString());
    builder.environment().put("ERLMACHINE_HTTP_HOST", machine.address());
    builder.environment().put("ERLMACHINE_HTTP_PORT", Integer.toString(port));
    builder.environment().put("ERLMACHINE_ENGINE_PEER_PORT", Integer.toString(port));
    Process process = builder.start();
    Thread.ofPlatform().daemon().name("log-" + machine.name()).start(() -> prefixOutput(machine.name(), process));
    return process;
  }

  private static void prefixOutput(String name, Process process) {
    try (BufferedReader lines = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
      String line;
      while ((line = lines.readLine()) != null) {
        System.out.println("[" + name + "] " + line);
      }
    } catch (IOException e) {
      // The engine is gone; its exit is reported by the watcher.
    }
  }

  private void awaitReady(List<LocalPlan.LocalMachine> plan) throws InterruptedException {
    HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofMillis(500)).build();
    long deadline = System.nanoTime() + READY_WITHIN.toNanos();
    List<LocalPlan.LocalMachine> waiting = new ArrayList<>(plan);
    while (!waiting.isEmpty()) {
      waiting.removeIf(machine -> ready(http, machine));
      for (LocalPlan.LocalMachine machine : waiting) {
        if (!engines.get(machine.key()).isAlive()) {
          throw new IllegalArgumentException("the engine of " + machine.key() + " exited; see its log lines above");
        }
        String rejected = rejection(http, machine);
        if (rejected != null) {
          throw new IllegalArgumentException("the engine of " + machine.key() + " rejected its config: " + rejected);
        }
      }
      if (System.nanoTime() > deadline) {
        throw new IllegalArgumentException("not ready within " + READY_WITHIN.toMinutes() + " minutes: "
            + waiting.stream().map(LocalPlan.LocalMachine::key).collect(Collectors.joining(", ")));
      }
      Thread.sleep(200);
    }
  }

  private boolean ready(HttpClient http, LocalPlan.LocalMachine machine) {
    try {
      return http.send(HttpRequest.newBuilder(URI.create(url(machine) + "/q/health/ready")).build(),
          HttpResponse.BodyHandlers.discarding()).statusCode() == 200;
    } catch (IOException e) {
      return false;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }

  /** The problems of a config the engine rejected at start, or null. */
  private String rejection(HttpClient http, LocalPlan.LocalMachine machine) {
    try {
      HttpResponse<String> response = http.send(HttpRequest.newBuilder(URI.create(url(machine) + "/api/v1/machine")).build(),
          HttpResponse.BodyHandlers.ofString());
      com.fasterxml.jackson.databind.JsonNode body = new com.fasterxml.jackson.databind.ObjectMapper().readTree(response.body());
      if (!"ConfigRejected".equals(body.path("error").asText())) {
        return null;
      }
      List<String> problems = new ArrayList<>();
      body.path("details").forEach(problem -> problems.add(problem.asText()));
      return String.join("; ", problems);
    } catch (IOException e) {
      return null;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return null;
    }
  }

  private void printTable(List<LocalPlan.LocalMachine> plan) {
    System.out.println();
    System.out.printf("%-28s %-8s %-44s %s%n", "MACHINE", "SERIAL", "DNS NAME", "ANSWERS AT");
    for (LocalPlan.LocalMachine machine : plan) {
      System.out.printf("%-28s %-8d %-44s %s%n", machine.key(), machine.serial(), machine.dnsName(), url(machine));
    }
    System.out.println();
    String target = plan.stream().flatMap(machine -> machine.config().gearboxes().stream().flatMap(gearbox -> gearbox.gears().stream()
            .filter(gear -> "endpoint".equals(gear.prototype()))
            .map(gear -> url(machine) + "/api/v1/gearboxes/" + gearbox.name() + "/gears/" + gear.name() + "/messages")))
        .findFirst().orElse(url(plan.getFirst()) + "/api/v1/gearboxes/<gearbox>/gears/<gear>/messages");
    System.out.println("Send a message:  curl -X POST -H 'Content-Type: application/json' -d '{\"id\": 1}' \\");
    System.out.println("                   " + target);
    System.out.println("What each example expects is in the comments at the top of its manifests.");
    System.out.println("Edit the manifests in " + manifests + " and the engines reload them. Ctrl-C stops everything.");
  }

  private void watch() throws InterruptedException {
    while (true) {
      Thread.sleep(1000);
      restartExitedEngines();
      try {
        List<LocalPlan.LocalMachine> plan = new LocalPlan().plan(ManifestSet.read(manifests), serials::serialOf);
        for (LocalPlan.LocalMachine machine : plan) {
          if (!engines.containsKey(machine.key())) {
            System.out.println("[erlmachine] new machine " + machine.key() + ": restart local mode to run it");
          } else if (renderedConfigs.containsKey(machine.key())) {
            writeConfig(machine);
          }
        }
      } catch (RuntimeException | IOException e) {
        System.out.println("[erlmachine] the manifests are not valid, the running configs stay: " + e.getMessage());
      }
    }
  }

  /**
   * Like a kubelet restarting a pod: an engine that exits is started again, with the same serial
   * and address; one stopped by Ctrl-C or a TERM signal (exit codes 130 and 143) is left stopped.
   */
  private synchronized void restartExitedEngines() {
    for (Map.Entry<String, Process> entry : engines.entrySet()) {
      int exit = entry.getValue().isAlive() ? -1 : entry.getValue().exitValue();
      if (exit >= 0 && !stopping && exit != 130 && exit != 143) {
        System.out.println("[erlmachine] the engine of " + entry.getKey() + " exited with " + exit + "; restarting it");
        try {
          entry.setValue(start(running.get(entry.getKey()), hosts));
        } catch (IOException e) {
          System.out.println("[erlmachine] cannot restart " + entry.getKey() + ": " + e.getMessage());
        }
      }
    }
  }

  private void writeConfig(LocalPlan.LocalMachine machine) throws IOException {
    String yaml = MachineConfigCodec.toYaml(machine.config());
    if (yaml.equals(renderedConfigs.get(machine.key()))) {
      return;
    }
    Path file = configFile(machine);
    Path temporary = file.resolveSibling(file.getFileName() + ".new");
    Files.writeString(temporary, yaml);
    Files.move(temporary, file, java.nio.file.StandardCopyOption.REPLACE_EXISTING, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
    if (renderedConfigs.put(machine.key(), yaml) != null) {
      System.out.println("[erlmachine] " + machine.key() + ": config re-rendered; the engine reloads it");
    }
  }

  private Path configFile(LocalPlan.LocalMachine machine) {
    return state.resolve("configs").resolve(machine.namespace() + "-" + machine.name() + ".yaml");
  }

  private Path writeHosts(List<LocalPlan.LocalMachine> plan) throws IOException {
    StringBuilder hosts = new StringBuilder("127.0.0.1 localhost\n");
    for (LocalPlan.LocalMachine machine : plan) {
      hosts.append(machine.address()).append(' ').append(machine.dnsName()).append(' ')
          .append(machine.name()).append('.').append(machine.namespace()).append(".svc ")
          .append(machine.name()).append('.').append(machine.namespace()).append('\n');
    }
    Path file = state.resolve("hosts");
    Files.writeString(file, hosts);
    return file;
  }

  private String url(LocalPlan.LocalMachine machine) {
    return "http://" + machine.address() + ":" + port;
  }

  private void stop() {
    synchronized (this) {
      stopping = true;
    }
    engines.values().forEach(Process::destroy);
    for (Process process : engines.values()) {
      try {
        if (!process.waitFor(10, java.util.concurrent.TimeUnit.SECONDS)) {
          process.destroyForcibly();
        }
      } catch (InterruptedException e) {
        process.destroyForcibly();
      }
    }
  }

  private static Path stateDirectory(Path directory) throws Exception {
    String base = System.getenv().getOrDefault("ERLMACHINE_CACHE", System.getProperty("user.home") + "/.cache/erlmachine");
    byte[] digest = java.security.MessageDigest.getInstance("SHA-256").digest(directory.toString().getBytes(StandardCharsets.UTF_8));
    return Path.of(base, "local", directory.getFileName() + "-" + HexFormat.of().formatHex(digest, 0, 4));
  }
}
