package io.erlmachine.engine.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * A machine on the local engine host ({@code erlmachine local}): found by name in the host's view
 * at 127.0.0.1, read at its own loopback listener. Local hosts have no control token; one given
 * in {@code ERLMACHINE_CONTROL_TOKEN} is sent all the same.
 */
final class LocalMachineEndpoint implements MachineEndpoint {
  static final String HOST_ADDRESS = "127.0.0.1";
  private static final ObjectMapper JSON = new ObjectMapper();

  private final String name;
  private final URI url;
  private final String token;

  private LocalMachineEndpoint(String name, URI url, String token) {
    this.name = name;
    this.url = url;
    this.token = token;
  }

  /** Looks the machine up in the host's view: {@code name} alone, or {@code namespace/name}. */
  static LocalMachineEndpoint find(String machine, int port, String token) {
    JsonNode host = hostView(port);
    List<String> known = new ArrayList<>();
    List<JsonNode> matches = new ArrayList<>();
    for (JsonNode running : host.path("running")) {
      String key = running.path("namespace").asText() + "/" + running.path("name").asText();
      known.add(key);
      if (key.equals(machine) || running.path("name").asText().equals(machine)) {
        matches.add(running);
      }
    }
    if (matches.size() > 1) {
      throw CliProblem.failed("more than one machine is named " + machine + " on the local host; name one as namespace/name: "
          + String.join(", ", matches.stream().map(m -> m.path("namespace").asText() + "/" + machine).toList()));
    }
    if (matches.isEmpty()) {
      for (JsonNode rejected : host.path("rejected")) {
        String key = rejected.path("machine").asText();
        if (key.equals(machine) || key.endsWith("/" + machine)) {
          throw CliProblem.failed("machine " + key + " does not run on the local host: its config was rejected: "
              + rejected.path("problems"));
        }
      }
      throw CliProblem.failed("no machine " + machine + " runs on the local engine host at " + HOST_ADDRESS + ":" + port
          + (known.isEmpty() ? " (it runs none yet)" : "; it runs " + String.join(", ", known.stream().sorted().toList())));
    }
    JsonNode found = matches.getFirst();
    JsonNode listener = found.path("listener");
    String address = listener.isObject() ? listener.path("address").asText() : HOST_ADDRESS;
    int listenerPort = listener.isObject() ? listener.path("port").asInt() : port;
    if ("0.0.0.0".equals(address)) {
      address = HOST_ADDRESS;
    }
    String key = found.path("namespace").asText() + "/" + found.path("name").asText();
    return new LocalMachineEndpoint(key, URI.create("http://" + address + ":" + listenerPort), token);
  }

  private static JsonNode hostView(int port) {
    URI uri = URI.create("http://" + HOST_ADDRESS + ":" + port + "/api/v1/host");
    try (HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build()) {
      HttpResponse<String> response = http.send(HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(10)).build(),
          HttpResponse.BodyHandlers.ofString());
      if (response.statusCode() != 200) {
        throw CliProblem.failed("the engine at " + HOST_ADDRESS + ":" + port + " is not a local engine host (GET /api/v1/host answered "
            + response.statusCode() + ")");
      }
      return JSON.readTree(response.body());
    } catch (IOException e) {
      throw CliProblem.failed("no local engine host answers at " + HOST_ADDRESS + ":" + port
          + "; start one with ./erlmachine local DIRECTORY, or give the --port it runs on (for a cluster: -n NAMESPACE)");
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw CliProblem.failed("interrupted");
    }
  }

  @Override
  public URI url() {
    return url;
  }

  @Override
  public String token() {
    return token;
  }

  @Override
  public String describe() {
    return "machine " + name + " (local, " + url.getHost() + ":" + url.getPort() + ")";
  }

  @Override
  public void close() {
    // nothing held
  }
}
