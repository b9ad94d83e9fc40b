package io.erlmachine.operator.it;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/** The packaged operator (target/quarkus-app) running as its own process against the test cluster, as it runs in a pod. */
final class OperatorProcess implements AutoCloseable {
  static final String OPERATOR_NAMESPACE = "erlmachine-system";
  private static final AtomicInteger STARTS = new AtomicInteger();
  /** A 2-core machine busy with other builds has been seen to need 90 s for the JVM and Quarkus alone. */
  private static final Duration START_TIMEOUT = Duration.ofSeconds(150);

  private final Process process;
  private final int httpPort;
  private final Path log;

  private OperatorProcess(Process process, int httpPort, Path log) {
    this.process = process;
    this.httpPort = httpPort;
    this.log = log;
  }

  static OperatorProcess start(Path kubeconfig) {
    return start(kubeconfig, OPERATOR_NAMESPACE);
  }

  static OperatorProcess start(Path kubeconfig, String operatorNamespace) {
    return start(kubeconfig, operatorNamespace, Map.of());
  }

  /** With extra environment, for example QUARKUS_OPERATOR_SDK_NAMESPACES to watch only some namespaces. */
  static OperatorProcess start(Path kubeconfig, String operatorNamespace, Map<String, String> environment) {
    Path jar = Path.of(System.getProperty("erlmachine.operator.jar", "target/quarkus-app/quarkus-run.jar"));
    if (!Files.isRegularFile(jar)) {
      throw new IllegalStateException("no operator jar at " + jar + "; run ./mvnw package first");
    }
    String java = ProcessHandle.current().info().command().orElse("java");
    try {
      int port = freePort();
      Path log = Path.of("target", "operator-" + STARTS.incrementAndGet() + ".log");
      ProcessBuilder builder = new ProcessBuilder(List.of(java, "-Xmx512m", "-jar", jar.toString()))
          .redirectErrorStream(true).redirectOutput(log.toFile());
      builder.environment().put("KUBECONFIG", kubeconfig.toString());
      builder.environment().put("POD_NAMESPACE", operatorNamespace);
      builder.environment().put("ERLMACHINE_HTTP_PORT", Integer.toString(port));
      builder.environment().putAll(environment);
      OperatorProcess operator = new OperatorProcess(builder.start(), port, log);
      try {
        operator.awaitStarted();
      } catch (RuntimeException notStarted) {
        operator.kill();
        throw notStarted;
      }
      return operator;
    } catch (IOException e) {
      throw new IllegalStateException("cannot start the operator", e);
    }
  }

  /** The body of a GET on the operator's own HTTP port (health, metrics). */
  String get(String path) throws IOException, InterruptedException {
    return HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + httpPort + path)).build(),
        HttpResponse.BodyHandlers.ofString()).body();
  }

  /** Waits until the operator answers its health endpoint (it may still be waiting for the leader lease). */
  private void awaitStarted() {
    HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(1)).build();
    Instant deadline = Instant.now().plus(START_TIMEOUT);
    while (Instant.now().isBefore(deadline)) {
      if (!process.isAlive()) {
        throw new IllegalStateException("the operator exited with " + process.exitValue() + "; see " + log.toAbsolutePath());
      }
      try {
        HttpResponse<String> response = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + httpPort + "/q/health/live")).build(),
            HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() == 200) {
          return;
        }
      } catch (IOException e) {
        // not listening yet
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException(e);
      }
      sleep(200);
    }
    throw new IllegalStateException("the operator did not start within " + START_TIMEOUT.toSeconds() + "s; see " + log.toAbsolutePath());
  }

  boolean logContains(String text) {
    try {
      return Files.readString(log).contains(text);
    } catch (IOException e) {
      return false;
    }
  }

  /** Ends the process the way a crashed or evicted pod ends: no shutdown hooks, no lease release. */
  void kill() {
    process.destroyForcibly();
    waitForExit();
  }

  /** Sends SIGTERM, as the kubelet does, and returns how long the process took to exit (empty if it had to be killed). */
  java.util.Optional<Duration> terminate(Duration grace) {
    Instant start = Instant.now();
    process.destroy();
    try {
      if (process.waitFor(grace.toMillis(), TimeUnit.MILLISECONDS)) {
        return java.util.Optional.of(Duration.between(start, Instant.now()));
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    kill();
    return java.util.Optional.empty();
  }

  @Override
  public void close() {
    process.destroy();
    waitForExit();
  }

  private void waitForExit() {
    try {
      if (!process.waitFor(30, TimeUnit.SECONDS)) {
        process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private static int freePort() throws IOException {
    try (ServerSocket socket = new ServerSocket(0)) {
      return socket.getLocalPort();
    }
  }

  static void sleep(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }
}
