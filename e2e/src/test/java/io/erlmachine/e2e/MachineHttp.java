package io.erlmachine.e2e;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.erlmachine.e2e.RealNodeCluster.RealNode;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

/** The engine API of a machine, called from this machine through the machine's Service (kube-proxy routes it to the pod). */
final class MachineHttp {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
  private static final Duration ROUTING_PATIENCE = Duration.ofSeconds(20);
  private final String base;

  private MachineHttp(String base) {
    this.base = base;
  }

  static MachineHttp of(RealNode node, String namespace, String machine) {
    String clusterIp = node.client().services().inNamespace(namespace).withName(machine).get().getSpec().getClusterIP();
    return new MachineHttp("http://" + clusterIp);
  }

  JsonNode get(String path) {
    HttpResponse<String> response = send(HttpRequest.newBuilder(URI.create(base + path)).timeout(Duration.ofSeconds(10)).GET().build());
    if (response.statusCode() != 200) {
      throw new AssertionError("GET " + path + " answered " + response.statusCode() + ": " + response.body());
    }
    return parse(response.body());
  }

  /**
   * GET once the Service routes: a Machine turns Ready when its pod does, and the EndpointSlice
   * controller and kube-proxy follow within a few seconds, so a first connection may be refused.
   */
  JsonNode getOnceRouted(String path) {
    long deadline = System.nanoTime() + ROUTING_PATIENCE.toNanos();
    while (true) {
      try {
        return get(path);
      } catch (UncheckedHttpException notRoutedYet) {
        if (System.nanoTime() > deadline) {
          throw notRoutedYet;
        }
        sleepBriefly();
      }
    }
  }

  private static void sleepBriefly() {
    try {
      Thread.sleep(500);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  /** Posts a JSON message and returns the HTTP status (202 means the engine accepted it). */
  int post(String path, String json) {
    return send(HttpRequest.newBuilder(URI.create(base + path)).timeout(Duration.ofSeconds(10))
        .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(json)).build()).statusCode();
  }

  static JsonNode parse(String json) {
    try {
      return JSON.readTree(json);
    } catch (IOException e) {
      throw new AssertionError("not JSON: " + json, e);
    }
  }

  private static HttpResponse<String> send(HttpRequest request) {
    try {
      return HTTP.send(request, HttpResponse.BodyHandlers.ofString());
    } catch (IOException e) {
      throw new UncheckedHttpException(request.uri() + ": " + e, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  /** The engine could not be reached (down, restarting, or the connection was reset). */
  static final class UncheckedHttpException extends RuntimeException {
    UncheckedHttpException(String message, Throwable cause) {
      super(message, cause);
    }
  }
}
