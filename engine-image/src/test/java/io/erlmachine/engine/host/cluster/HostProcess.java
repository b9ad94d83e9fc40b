package io.erlmachine.engine.host.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

/**
 * A real engine host process in cluster host mode, started from the packaged engine as a host pod would run it, but
 * outside the cluster: a kubeconfig instead of the ServiceAccount, POD_NAME and POD_NAMESPACE set by hand.
 */
final class HostProcess implements AutoCloseable {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

  final String label;
  final List<String> output = new CopyOnWriteArrayList<>();
  private final Process process;
  private final Thread reader;
  private final int port;

  HostProcess(String label, String hostName, String namespace, Path kubeconfig) throws IOException {
    this(label, hostName, namespace, kubeconfig, Map.of(), List.of());
  }

  /**
   * With more settings: {@code environment} beside the usual ones, {@code jvmOptions} before the others (for example a
   * hosts file, so that machines on this host reach others by their DNS names).
   */
  HostProcess(String label, String hostName, String namespace, Path kubeconfig, Map<String, String> environment,
              List<String> jvmOptions) throws IOException {
    this.label = label;
    this.port = freePort();
    Path app = Path.of(System.getProperty("erlmachine.engine.app"));
    Path configs = Files.createTempDirectory(Path.of("target"), "cluster-host-" + label).toAbsolutePath().resolve("configs");
    String java = ProcessHandle.current().info().command().orElse("java");
    List<String> command = new ArrayList<>(List.of(java, "@engine.jvmargs"));
    command.addAll(jvmOptions);
    command.addAll(List.of("-Xmx512m", "-XX:+ExitOnOutOfMemoryError", "-jar", "quarkus-run.jar"));
    ProcessBuilder builder = new ProcessBuilder(command).directory(app.toFile()).redirectErrorStream(true);
    builder.environment().putAll(environment);
    builder.environment().put("ERLMACHINE_CONFIG", configs.toString());
    builder.environment().put("ERLMACHINE_HTTP_HOST", "127.0.0.1");
    builder.environment().put("ERLMACHINE_HTTP_PORT", Integer.toString(port));
    builder.environment().put("ERLMACHINE_ENGINE_HOST_CLUSTER_ENABLED", "true");
    builder.environment().put("ERLMACHINE_ENGINE_HOST_CLUSTER_KUBECONFIG", kubeconfig.toString());
    builder.environment().put("POD_NAME", hostName);
    builder.environment().put("POD_NAMESPACE", namespace);
    process = builder.start();
    reader = Thread.ofPlatform().daemon().name("host-" + label).start(this::readOutput);
  }

  private void readOutput() {
    try (BufferedReader lines = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
      String line;
      while ((line = lines.readLine()) != null) {
        output.add(line);
        System.out.println("[" + label + "] " + line);
      }
    } catch (IOException e) {
      // the process ended
    }
  }

  boolean alive() {
    return process.isAlive();
  }

  boolean said(String text) {
    return output.stream().anyMatch(line -> line.contains(text));
  }

  /** GET /api/v1/host at the host's own port; null while it does not answer. */
  JsonNode state() throws IOException {
    HttpResponse<String> response = get("http://127.0.0.1:" + port + "/api/v1/host");
    return response != null && response.statusCode() == 200 ? JSON.readTree(response.body()) : null;
  }

  /** The status of the host's own readiness probe; 0 while it does not answer. */
  int readiness() {
    return status("http://127.0.0.1:" + port + "/q/health/ready");
  }

  static int status(String url) {
    HttpResponse<String> response = get(url);
    return response == null ? 0 : response.statusCode();
  }

  /** The response, or null when nothing answers. */
  private static HttpResponse<String> get(String url) {
    try {
      return HTTP.send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(5)).build(), HttpResponse.BodyHandlers.ofString());
    } catch (IOException e) {
      return null;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return null;
    }
  }

  /** SIGKILL: the host gets no chance to stop its machines or give its Lease back. */
  void kill() throws InterruptedException {
    process.toHandle().destroyForcibly();
    assertThat(process.waitFor(30, TimeUnit.SECONDS)).isTrue();
    reader.join(Duration.ofSeconds(10));
  }

  /** SIGTERM, as kubelet stops a pod; waits for the process to end. */
  void stop() throws InterruptedException {
    process.toHandle().destroy(); // Process.destroy() would close the output pipe and lose the host's last words
    assertThat(process.waitFor(60, TimeUnit.SECONDS)).as(label + " stops on SIGTERM").isTrue();
    reader.join(Duration.ofSeconds(10));
  }

  @Override
  public void close() throws InterruptedException {
    if (process.isAlive()) {
      process.destroy();
      if (!process.waitFor(30, TimeUnit.SECONDS)) {
        process.destroyForcibly();
      }
    }
  }

  private static int freePort() throws IOException {
    try (ServerSocket socket = new ServerSocket(0)) {
      return socket.getLocalPort();
    }
  }
}
