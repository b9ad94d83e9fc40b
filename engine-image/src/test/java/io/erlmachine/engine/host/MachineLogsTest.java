package io.erlmachine.engine.host;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Each machine's own log at its own listener, on one host with a control token, over real HTTP. */
@QuarkusTest
@TestProfile(HostWithTokenProfile.class)
class MachineLogsTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
  private static final Duration PATIENCE = Duration.ofSeconds(60);
  private static final String TELLING = "export function receive(message, gear) { console.log(gear.machine + ' saw ' + message.body.secret);"
      + " return { n: 1 }; }";

  @BeforeEach
  void twoMachinesThatLogWhatTheySee() {
    HostTestProfile.write("m1", HostTestProfile.machine("m1", 1, TELLING));
    HostTestProfile.write("m2", HostTestProfile.machine("m2", 2, TELLING));
    await().atMost(PATIENCE).pollInterval(Duration.ofMillis(200)).until(() -> tells("m1") && tells("m2"));
  }

  @Test
  void aMachinesLogHasItsOwnLinesAndNotItsNeighbours() throws Exception {
    post("m1", "{\"secret\": \"alpha-41\"}");
    post("m2", "{\"secret\": \"beta-42\"}");
    await().atMost(PATIENCE).until(() -> messages("m1").contains("m1 saw alpha-41") && messages("m2").contains("m2 saw beta-42"));

    assertThat(String.join("\n", messages("m1"))).doesNotContain("beta-42").doesNotContain("m2 saw");
    assertThat(String.join("\n", messages("m2"))).doesNotContain("alpha-41").doesNotContain("m1 saw");
    JsonNode line = findRecord(lines("m1", "?limit=10000"), "m1 saw alpha-41");
    assertThat(line.path("level").asText()).isEqualTo("INFO");
    assertThat(line.path("gearbox").asText()).isEqualTo("flow");
    assertThat(line.path("gear").asText()).isEqualTo("step");
    assertThat(line.path("at").asText()).matches("\\d{4}-\\d\\d-\\d\\dT.*Z");
    assertThat(line.path("sequence").asLong()).isPositive();
  }

  @Test
  void theEngineSaysWhatHappensToTheMachineInItsLog() throws Exception {
    long seen = lines("m2", "?limit=1").path("latest").asLong();
    HostTestProfile.write("m2", HostTestProfile.machine("m2", 2,
        "export function receive(message) { throw new Error('cannot price ' + message.body.secret); }"));
    await().atMost(PATIENCE).until(() -> messagesAfter("m2", seen).stream().anyMatch(m -> m.startsWith("config m2.yaml applied: 0 gears added, 1 updated")));
    post("m2", "{\"secret\": \"gamma-43\"}");
    await().atMost(PATIENCE).until(() -> messagesAfter("m2", seen).stream()
        .anyMatch(m -> m.startsWith("crashed on message") && m.contains("cannot price gamma-43")));
    HostTestProfile.writeText("m2", "format: erlmachine.io/machine-config/v1alpha1\nmachine: [not, a, map]\n");
    await().atMost(PATIENCE).until(() -> messagesAfter("m2", seen).stream().anyMatch(m -> m.startsWith("config m2.yaml rejected, the running config stays")));
    assertThat(String.join("\n", messages("m1"))).as("m1 hears nothing of m2's crash and rejected config")
        .doesNotContain("gamma-43").doesNotContain("m2.yaml");
  }

  @Test
  void sinceAndLimitPageThroughTheLog() throws Exception {
    for (int i = 0; i < 5; i++) {
      post("m1", "{\"secret\": \"page-" + i + "\"}");
    }
    await().atMost(PATIENCE).until(() -> messages("m1").contains("m1 saw page-4"));
    JsonNode all = lines("m1", "?limit=1000");
    long latest = all.path("latest").asLong();
    List<Long> sequences = new ArrayList<>();
    all.path("records").forEach(r -> sequences.add(r.path("sequence").asLong()));
    assertThat(sequences).isSorted().doesNotHaveDuplicates().last().isEqualTo(latest);

    JsonNode newest = lines("m1", "?limit=2");
    assertThat(newest.path("records")).hasSize(2);
    assertThat(newest.path("records").get(1).path("sequence").asLong()).isEqualTo(latest);

    long before = sequences.get(sequences.size() - 3);
    JsonNode after = lines("m1", "?since=" + before);
    assertThat(after.path("records")).hasSize(2);
    assertThat(after.path("records").get(0).path("sequence").asLong()).isEqualTo(before + 1);
    assertThat(lines("m1", "?since=" + latest).path("records")).isEmpty();

    String at = all.path("records").get(all.path("records").size() - 1).path("at").asText();
    assertThat(lines("m1", "?since=" + at).path("records").get(0).path("sequence").asLong()).isGreaterThanOrEqualTo(before);
    assertThat(get("m1", "/api/v1/logs?since=yesterday", HostWithTokenProfile.TOKEN).statusCode()).isEqualTo(400);
    assertThat(get("m1", "/api/v1/logs?limit=0", HostWithTokenProfile.TOKEN).statusCode()).isEqualTo(400);
  }

  @Test
  void readingALogNeedsTheControlTokenWhileOtherReadsStayOpen() throws Exception {
    HttpResponse<String> refused = get("m1", "/api/v1/logs", null);
    assertThat(refused.statusCode()).isEqualTo(401);
    assertThat(refused.headers().firstValue("WWW-Authenticate")).hasValueSatisfying(v -> assertThat(v).contains("Bearer"));
    assertThat(refused.body()).contains("reads the machine's log").contains("erlmachine-host-control");
    assertThat(get("m1", "/api/v1/logs", "wrong-token").statusCode()).isEqualTo(401);
    assertThat(get("m1", "/api/v1/logs/", null).statusCode()).isEqualTo(401);
    assertThat(get("m1", "/api/v1//logs", null).statusCode()).isIn(401, 404);
    assertThat(get("m1", "/API/v1/logs", null).statusCode()).isIn(401, 404);
    assertThat(get("m1", "/api/v1/logs;x=1", null).statusCode()).isIn(401, 404);
    assertThat(get("m1", "/api/v1/logs?limit=5", HostWithTokenProfile.TOKEN).statusCode()).isEqualTo(200);
    assertThat(get("m1", "/api/v1/machine", null).statusCode()).isEqualTo(200);
  }

  private static List<String> messages(String machine) {
    List<String> found = new ArrayList<>();
    lines(machine, "?limit=10000").path("records").forEach(r -> found.add(r.path("message").asText()));
    return found;
  }

  private static List<String> messagesAfter(String machine, long sequence) {
    List<String> found = new ArrayList<>();
    lines(machine, "?limit=10000&since=" + sequence).path("records").forEach(r -> found.add(r.path("message").asText()));
    return found;
  }

  private static JsonNode findRecord(JsonNode page, String message) {
    for (JsonNode record : page.path("records")) {
      if (record.path("message").asText().equals(message)) {
        return record;
      }
    }
    throw new AssertionError("no line " + message + " in " + page);
  }

  private static JsonNode lines(String machine, String query) {
    try {
      HttpResponse<String> response = get(machine, "/api/v1/logs" + query, HostWithTokenProfile.TOKEN);
      assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
      return JSON.readTree(response.body());
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  /** Whether the machine runs the telling gear: a probe sent to it shows up in its log. */
  private static boolean tells(String machine) {
    try {
      post(machine, "{\"secret\": \"probe\"}");
      return messages(machine).contains(machine + " saw probe");
    } catch (Exception | AssertionError e) {
      return false;
    }
  }

  private static HttpResponse<String> get(String machine, String path, String token) throws Exception {
    HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(HostTestProfile.url(machine) + path));
    if (token != null) {
      request.header("Authorization", "Bearer " + token);
    }
    return HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
  }

  private static void post(String machine, String json) throws Exception {
    HttpResponse<String> response = HTTP.send(HttpRequest.newBuilder(URI.create(HostTestProfile.url(machine)
            + "/api/v1/gearboxes/flow/gears/in/messages")).header("Content-Type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofString(json)).build(), HttpResponse.BodyHandlers.ofString());
    assertThat(response.statusCode()).as(response.body()).isEqualTo(202);
  }
}
