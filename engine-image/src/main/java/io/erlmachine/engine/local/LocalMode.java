package io.erlmachine.engine.local;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.erlmachine.api.config.MachineConfig;
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
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * Runs a directory of Erlmachine manifests on this computer: ONE engine host process runs every
 * Machine, each on its own loopback address, the machines' DNS names mapped to those addresses,
 * configs rendered as the operator renders them into the host's config directory and
 * re-rendered when the manifests change (the host adds, updates and removes machines as their
 * files change). Ctrl-C stops everything.
 *
 * <pre>erlmachine local DIRECTORY [--port PORT]</pre>
 */
public final class LocalMode {
  private static final Duration READY_WITHIN = Duration.ofMinutes(3);
  private static final String HOST_ADDRESS = "127.0.0.1";
  private static final ObjectMapper JSON = new ObjectMapper();

  private final Path manifests;
  private final Path engineApp;
  private final Path state;
  private final int port;
  private final LocalSerials serials;
  private final Map<String, String> renderedConfigs = new LinkedHashMap<>();
  private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofMillis(500)).build();
  private volatile Process host;
  private Path hosts;
  private volatile boolean stopping;

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
    List<LocalPlan.LocalMachine> plan = plan();
    if (plan.isEmpty()) {
      throw new IllegalArgumentException(manifests + " declares no Machine");
    }
    Files.createDirectories(configs());
    removeStaleConfigs(plan);
    hosts = writeHosts(plan);
    for (LocalPlan.LocalMachine machine : plan) {
      writeConfig(machine);
    }
    long started = System.nanoTime();
    host = startHost(plan.size());
    awaitReady(plan);
    printTable(plan, Duration.ofNanos(System.nanoTime() - started));
    watch();
  }

  private List<LocalPlan.LocalMachine> plan() {
    return new LocalPlan().plan(ManifestSet.read(manifests), serials::serialOf);
  }

  private Process startHost(int machines) throws IOException {
    String java = ProcessHandle.current().info().command().orElse("java");
    ProcessBuilder builder = new ProcessBuilder(java, "@engine.jvmargs", "-Djdk.net.hosts.file=" + hosts,
        "-Xmx" + heapMebibytes(machines) + "m", "-XX:+ExitOnOutOfMemoryError", "-jar", "quarkus-run.jar")
        .directory(engineApp.toFile()).redirectErrorStream(true);
    builder.environment().put("ERLMACHINE_CONFIG", configs().toString());
    builder.environment().put("ERLMACHINE_HTTP_HOST", HOST_ADDRESS);
    builder.environment().put("ERLMACHINE_HTTP_PORT", Integer.toString(port));
    builder.environment().put("ERLMACHINE_ENGINE_PEER_PORT", Integer.toString(port));
    Process process = builder.start();
    Thread.ofPlatform().daemon().name("host-log").start(() -> copyOutput(process));
    return process;
  }

  /** The host's heap: room for the JIT compiler and the shared engine, then about a MiB per machine. */
  static int heapMebibytes(int machines) {
    return Math.min(16_384, 384 + machines);
  }

  private static void copyOutput(Process process) {
    try (BufferedReader lines = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
      String line;
      while ((line = lines.readLine()) != null) {
        System.out.println("[host] " + line);
      }
    } catch (IOException e) {
      // The host is gone; its exit is reported by the watcher.
    }
  }

  /** Waits until every planned machine is ready on the host; a rejected config ends local mode with its problems. */
  private void awaitReady(List<LocalPlan.LocalMachine> plan) throws InterruptedException {
    long deadline = System.nanoTime() + READY_WITHIN.toNanos();
    Set<String> waiting = plan.stream().map(LocalPlan.LocalMachine::key).collect(Collectors.toCollection(HashSet::new));
    while (true) {
      if (!host.isAlive()) {
        throw new IllegalArgumentException("the engine host exited with " + host.exitValue() + "; see its log lines above");
      }
      JsonNode state = hostState();
      if (state != null) {
        for (JsonNode rejected : state.path("rejected")) {
          String machine = rejected.path("machine").asText();
          if (waiting.contains(machine)) {
            List<String> problems = new ArrayList<>();
            rejected.path("problems").forEach(problem -> problems.add(problem.asText()));
            throw new IllegalArgumentException("the engine host rejected the config of " + machine + ": " + String.join("; ", problems));
          }
        }
        for (JsonNode machine : state.path("running")) {
          if (machine.path("ready").asBoolean()) {
            waiting.remove(machine.path("namespace").asText() + "/" + machine.path("name").asText());
          }
        }
        if (waiting.isEmpty()) {
          return;
        }
      }
      if (System.nanoTime() > deadline) {
        throw new IllegalArgumentException("not ready within " + READY_WITHIN.toMinutes() + " minutes: "
            + waiting.stream().sorted().limit(20).collect(Collectors.joining(", ")));
      }
      Thread.sleep(100);
    }
  }

  /** The host's view of all its machines (one request, however many machines), or null while it starts. */
  private JsonNode hostState() {
    try {
      HttpResponse<String> response = http.send(HttpRequest.newBuilder(URI.create(hostUrl() + "/api/v1/host"))
          .timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
      return response.statusCode() == 200 ? JSON.readTree(response.body()) : null;
    } catch (IOException e) {
      return null;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return null;
    }
  }

  private void printTable(List<LocalPlan.LocalMachine> plan, Duration took) {
    System.out.println();
    System.out.printf("%-28s %-8s %-44s %s%n", "MACHINE", "SERIAL", "DNS NAME", "ANSWERS AT");
    for (LocalPlan.LocalMachine machine : plan) {
      System.out.printf("%-28s %-8d %-44s %s%n", machine.key(), machine.serial(), machine.dnsName(), url(machine));
    }
    System.out.println();
    System.out.printf("%d machines ready in one engine host in %.1f s (host state: %s/api/v1/host)%n", plan.size(),
        took.toMillis() / 1000.0, hostUrl());
    String target = plan.stream().flatMap(machine -> machine.config().gearboxes().stream().flatMap(gearbox -> gearbox.gears().stream()
            .filter(gear -> "endpoint".equals(gear.prototype()))
            .map(gear -> url(machine) + "/api/v1/gearboxes/" + gearbox.name() + "/gears/" + gear.name() + "/messages")))
        .findFirst().orElse(url(plan.getFirst()) + "/api/v1/gearboxes/<gearbox>/gears/<gear>/messages");
    System.out.println("Send a message:  curl -X POST -H 'Content-Type: application/json' -d '{\"id\": 1}' \\");
    System.out.println("                   " + target);
    System.out.println("What each example expects is in the comments at the top of its manifests.");
    System.out.println("One machine's log:  ./erlmachine logs " + plan.getFirst().name() + (port == 8080 ? "" : " --port " + port)
        + " [--follow]");
    System.out.println("Edit the manifests in " + manifests + " and the host reloads them. Ctrl-C stops everything.");
  }

  private void watch() throws InterruptedException {
    while (true) {
      Thread.sleep(1000);
      restartExitedHost();
      try {
        List<LocalPlan.LocalMachine> plan = plan();
        Set<String> planned = new HashSet<>();
        boolean added = false;
        for (LocalPlan.LocalMachine machine : plan) {
          planned.add(machine.key());
          added |= !renderedConfigs.containsKey(machine.key());
        }
        if (added) {
          hosts = writeHosts(plan);
        }
        for (LocalPlan.LocalMachine machine : plan) {
          if (!renderedConfigs.containsKey(machine.key())) {
            System.out.println("[erlmachine] new machine " + machine.key() + " (serial " + machine.serial() + ") at " + url(machine));
          }
          writeConfig(machine);
        }
        for (String gone : new ArrayList<>(renderedConfigs.keySet())) {
          if (!planned.contains(gone)) {
            Files.deleteIfExists(configs().resolve(fileName(gone)));
            renderedConfigs.remove(gone);
            System.out.println("[erlmachine] machine " + gone + " was removed from the manifests; the host stops it");
          }
        }
      } catch (RuntimeException | IOException e) {
        System.out.println("[erlmachine] the manifests are not valid, the running configs stay: " + e.getMessage());
      }
    }
  }

  /**
   * Like a kubelet restarting a pod: a host that exits is started again, its machines with the
   * same serials and addresses; one stopped by Ctrl-C or a TERM signal (exit codes 130 and 143)
   * is left stopped.
   */
  private synchronized void restartExitedHost() {
    int exit = host.isAlive() ? -1 : host.exitValue();
    if (exit >= 0 && !stopping && exit != 130 && exit != 143) {
      System.out.println("[erlmachine] the engine host exited with " + exit + "; restarting it");
      try {
        host = startHost(renderedConfigs.size());
      } catch (IOException e) {
        System.out.println("[erlmachine] cannot restart the engine host: " + e.getMessage());
      }
    }
  }

  private void writeConfig(LocalPlan.LocalMachine machine) throws IOException {
    MachineConfig config = machine.config().withListener(new MachineConfig.Listener(machine.address(), port));
    String yaml = MachineConfigCodec.toYaml(config);
    if (yaml.equals(renderedConfigs.get(machine.key()))) {
      return;
    }
    Path file = configs().resolve(fileName(machine.key()));
    Path temporary = file.resolveSibling(file.getFileName() + ".new");
    Files.writeString(temporary, yaml);
    Files.move(temporary, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    if (renderedConfigs.put(machine.key(), yaml) != null) {
      System.out.println("[erlmachine] " + machine.key() + ": config re-rendered; the host reloads it");
    }
  }

  /** Config files of machines no longer in the manifests, left by an earlier run. */
  private void removeStaleConfigs(List<LocalPlan.LocalMachine> plan) throws IOException {
    Set<String> wanted = plan.stream().map(machine -> fileName(machine.key())).collect(Collectors.toSet());
    try (Stream<Path> files = Files.list(configs())) {
      for (Path file : files.toList()) {
        if (!wanted.contains(file.getFileName().toString())) {
          Files.deleteIfExists(file);
        }
      }
    }
  }

  private Path configs() {
    return state.resolve("configs");
  }

  private static String fileName(String key) {
    return key.replace('/', '-') + ".yaml";
  }

  private Path writeHosts(List<LocalPlan.LocalMachine> plan) throws IOException {
    StringBuilder lines = new StringBuilder("127.0.0.1 localhost\n");
    for (LocalPlan.LocalMachine machine : plan) {
      lines.append(machine.address()).append(' ').append(machine.dnsName()).append(' ')
          .append(machine.name()).append('.').append(machine.namespace()).append(".svc ")
          .append(machine.name()).append('.').append(machine.namespace()).append('\n');
    }
    Path file = state.resolve("hosts");
    Path temporary = state.resolve("hosts.new");
    Files.writeString(temporary, lines);
    Files.move(temporary, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    return file;
  }

  private String url(LocalPlan.LocalMachine machine) {
    return "http://" + machine.address() + ":" + port;
  }

  private String hostUrl() {
    return "http://" + HOST_ADDRESS + ":" + port;
  }

  private void stop() {
    synchronized (this) {
      stopping = true;
    }
    Process running = host;
    if (running == null) {
      return;
    }
    running.destroy();
    try {
      if (!running.waitFor(20, TimeUnit.SECONDS)) {
        running.destroyForcibly();
      }
    } catch (InterruptedException e) {
      running.destroyForcibly();
    }
  }

  private static Path stateDirectory(Path directory) throws Exception {
    String base = System.getenv().getOrDefault("ERLMACHINE_CACHE", System.getProperty("user.home") + "/.cache/erlmachine");
    byte[] digest = java.security.MessageDigest.getInstance("SHA-256").digest(directory.toString().getBytes(StandardCharsets.UTF_8));
    return Path.of(base, "local", directory.getFileName() + "-" + HexFormat.of().formatHex(digest, 0, 4));
  }
}
