package io.erlmachine.engine.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

/** Reads pages of a machine's log from its API ({@code GET /api/v1/logs}) and turns refusals into problems a user can act on. */
final class LogReader {
  private static final ObjectMapper JSON = new ObjectMapper();
  private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
  private final MachineEndpoint endpoint;

  LogReader(MachineEndpoint endpoint) {
    this.endpoint = endpoint;
  }

  /** One page: {@code since} is a sequence number, an ISO-8601 time, or null for the newest lines. */
  JsonNode page(String since, int limit) {
    String query = "?limit=" + limit + (since == null ? "" : "&since=" + URLEncoder.encode(since, StandardCharsets.UTF_8));
    HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(endpoint.url() + "/api/v1/logs" + query))
        .timeout(Duration.ofSeconds(30)).header("Accept", "application/json");
    if (endpoint.token() != null) {
      request.header("Authorization", "Bearer " + endpoint.token());
    }
    HttpResponse<String> response;
    try {
      response = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    } catch (IOException e) {
      throw CliProblem.failed("cannot reach " + endpoint.describe() + ": " + endpoint.whyUnreachable(e));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw CliProblem.failed("interrupted");
    }
    JsonNode body = parse(response.body());
    return switch (response.statusCode()) {
      case 200 -> body;
      case 401 -> throw CliProblem.failed(endpoint.describe() + " wants its control token"
          + (endpoint.token() == null ? " (set ERLMACHINE_CONTROL_TOKEN)" : "; the one sent was refused") + ": " + message(body, response));
      case 404 -> throw CliProblem.failed(endpoint.describe() + " does not serve logs here (" + message(body, response)
          + "); is its engine older than the log endpoint?");
      case 503 -> throw CliProblem.failed(endpoint.describe() + " is not ready: " + message(body, response));
      default -> throw CliProblem.failed(endpoint.describe() + " answered " + response.statusCode() + ": " + message(body, response));
    };
  }

  private static String message(JsonNode body, HttpResponse<String> response) {
    if (body != null && body.hasNonNull("message")) {
      return body.path("message").asText() + (body.has("details") ? " " + body.path("details") : "");
    }
    String text = response.body() == null ? "" : response.body().strip();
    return text.isEmpty() ? "HTTP " + response.statusCode() : text.substring(0, Math.min(400, text.length()));
  }

  private static JsonNode parse(String text) {
    try {
      return text == null || text.isBlank() ? null : JSON.readTree(text);
    } catch (IOException e) {
      return null;
    }
  }
}
