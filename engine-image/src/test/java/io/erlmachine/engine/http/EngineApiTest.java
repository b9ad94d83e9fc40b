package io.erlmachine.engine.http;

import static io.erlmachine.engine.http.Api.accepted;
import static io.erlmachine.engine.http.Api.processed;
import static io.erlmachine.engine.http.Api.send;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItems;
import static org.hamcrest.Matchers.startsWith;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

@QuarkusTest
@TestProfile(EngineTestProfile.class)
class EngineApiTest {
  private static final Duration PATIENCE = Duration.ofSeconds(10);

  @Test
  void machineInfoShowsIdentityAndTheOptimizingCompiler() {
    given().get("/api/v1/machine").then().statusCode(200)
        .body("name", equalTo("tester"))
        .body("serial", equalTo(42))
        .body("dnsName", equalTo("tester.test.svc.cluster.local"))
        .body("compiler.active", equalTo(true))
        .body("gearboxes.name", hasItems("orders", "shapes", "fragile", "abuse"));
  }

  @Test
  void aMessageFlowsThroughTheGearboxAndItsTrackShowsEveryHop() {
    long before = processed("orders", "sink");
    String tracking = given().contentType(ContentType.JSON).header("Erlmachine-Header-Priority", "high")
        .body("{\"id\": 7, \"qty\": 5}").post("/api/v1/gearboxes/orders/gears/in/messages")
        .then().statusCode(202).body("tracking", startsWith("42-")).extract().path("tracking");

    await().atMost(PATIENCE).until(() -> processed("orders", "sink") == before + 1);
    JsonPath track = given().get("/api/v1/tracks/{t}", tracking).then().statusCode(200).extract().jsonPath();
    assertThat(track.getList("hops.gear")).containsExactly("in", "in", "price", "audit", "sink");
    assertThat(track.getList("hops.outcome")).containsExactly("RECEIVED", "PROCESSED", "PROCESSED", "PROCESSED", "PROCESSED");
    assertThat(Api.state("orders", "price").getInt("priced")).isGreaterThanOrEqualTo(1);
  }

  @Test
  void aValidTrackingNumberFromAnotherMachineIsKept() {
    String foreign = "9-mwr6gp1l-2a";
    given().contentType(ContentType.JSON).header("Erlmachine-Tracking", foreign).body("{\"id\": 1, \"qty\": 1}")
        .post("/api/v1/gearboxes/orders/gears/in/messages").then().statusCode(202).body("tracking", equalTo(foreign));
    given().contentType(ContentType.JSON).header("Erlmachine-Tracking", "not a number").body("{\"id\": 1, \"qty\": 1}")
        .post("/api/v1/gearboxes/orders/gears/in/messages").then().statusCode(202).body("tracking", startsWith("42-"));
  }

  @Test
  void trackingNumbersAreUnique() {
    List<String> numbers = new ArrayList<>();
    for (int i = 0; i < 50; i++) {
      numbers.add(accepted("shapes", "left", "{}"));
    }
    assertThat(numbers).doesNotHaveDuplicates();
  }

  @Test
  void badRequestsGetJsonErrorsWithTheRightStatus() {
    send("orders", "nope", "{}").then().statusCode(404).contentType(ContentType.JSON)
        .body("error", equalTo("NotFound")).body("message", containsString("no gear named nope in gearbox orders"));
    send("nope", "in", "{}").then().statusCode(404).body("message", containsString("no gearbox named nope"));
    send("orders", "in", "{\"id\": ").then().statusCode(400).body("message", containsString("not JSON"));
    send("orders", "in", "{} {}").then().statusCode(400).body("message", containsString("one JSON value"));
    send("orders", "in", "{\"pad\": \"" + "x".repeat(70_000) + "\"}").then().statusCode(413)
        .body("error", equalTo("MessageTooLarge")).body("message", containsString("65536"));
    given().contentType(ContentType.JSON).body("{\"clutch\": \"Sideways\"}").put("/api/v1/machine/clutch")
        .then().statusCode(400).body("message", containsString("Engaged or Disengaged"));
    given().get("/api/v1/tracks/{t}", "42-0-0").then().statusCode(404).body("message", containsString("no record"));
    given().get("/api/v1/nothing-here").then().statusCode(404).contentType(ContentType.JSON);
  }

  @Test
  void forwarderCopiesStreamerAlternatesRouterAndFilterChoose() {
    long left = processed("shapes", "left");
    long right = processed("shapes", "right");
    long one = processed("shapes", "one");
    long two = processed("shapes", "two");
    long big = processed("shapes", "big");
    long small = processed("shapes", "small");
    long kept = processed("shapes", "kept");
    long items = processed("shapes", "items");
    for (int i = 0; i < 4; i++) {
      accepted("shapes", "fan", "{}");
      accepted("shapes", "spread", "{}");
      accepted("shapes", "evens", "{\"n\": " + i + "}");
    }
    accepted("shapes", "sort", "{\"size\": 50}");
    accepted("shapes", "sort", "{\"size\": 1}");
    accepted("shapes", "sort", "{\"size\": 2}");
    accepted("shapes", "split", "{\"items\": [1, 2, 3]}");

    await().atMost(PATIENCE).untilAsserted(() -> {
      assertThat(processed("shapes", "left") - left).isEqualTo(4);
      assertThat(processed("shapes", "right") - right).isEqualTo(4);
      assertThat(processed("shapes", "one") - one).isEqualTo(2);
      assertThat(processed("shapes", "two") - two).isEqualTo(2);
      assertThat(processed("shapes", "big") - big).isEqualTo(1);
      assertThat(processed("shapes", "small") - small).isEqualTo(2);
      assertThat(processed("shapes", "kept") - kept).isEqualTo(2);
      assertThat(processed("shapes", "items") - items).isEqualTo(3);
    });
  }

  @Test
  void aTimerEmitsAtItsInterval() {
    long first = processed("ticking", "beats");
    await().atMost(PATIENCE).until(() -> processed("ticking", "beats") >= first + 10);
    assertThat(Api.state("ticking", "beats").getLong("count")).isGreaterThanOrEqualTo(first + 10);
  }

  @Test
  void aFullMailboxAnswers503WithRetryAfterAndLosesNothing() {
    given().get("/api/v1/gearboxes/held").then().body("clutch", equalTo("Disengaged"));
    long before = processed("held", "slow");
    int accepted = 0;
    int refused = 0;
    for (int i = 0; i < 8; i++) {
      var response = send("held", "slow", "{\"i\": " + i + "}");
      if (response.statusCode() == 202) {
        accepted++;
      } else {
        response.then().statusCode(503).header("Retry-After", "1").body("error", equalTo("MailboxFull"));
        refused++;
      }
    }
    assertThat(accepted).isEqualTo(5);
    assertThat(refused).isEqualTo(3);

    given().contentType(ContentType.JSON).body("{\"clutch\": \"Engaged\"}").put("/api/v1/gearboxes/held/clutch").then().statusCode(200);
    await().atMost(PATIENCE).until(() -> processed("held", "slow") == before + 5);
    given().contentType(ContentType.JSON).body("{\"clutch\": \"Disengaged\"}").put("/api/v1/gearboxes/held/clutch").then().statusCode(200);
  }

  @Test
  void selfTestsRunAtLoadAndOnDemand() {
    await().atMost(PATIENCE).untilAsserted(() -> given().get("/api/v1/gearboxes/orders/self-tests").then().statusCode(200)
        .body("passed", equalTo(true)));
    given().post("/api/v1/gearboxes/orders/self-tests").then().statusCode(200)
        .body("passed", equalTo(true))
        .body("results.name", hasItems("prices", "no-output-is-fine"));
    await().atMost(PATIENCE).untilAsserted(() -> given().get("/q/health/ready").then().statusCode(200));
  }

  @Test
  void metricsCountPerGearWithALatencyHistogramLabelledByMachine() {
    accepted("orders", "in", "{\"id\": 3, \"qty\": 1}");
    await().atMost(PATIENCE).untilAsserted(() -> {
      String metrics = given().get("/q/metrics").then().statusCode(200).extract().asString();
      assertThat(metrics)
          .contains("erlmachine_gear_messages_processed_total{gear=\"price\",gearbox=\"orders\",machine=\"tester\",namespace=\"test\"}")
          .contains("erlmachine_gear_processing_seconds_bucket{gear=\"price\",gearbox=\"orders\",machine=\"tester\",namespace=\"test\"")
          .contains("erlmachine_gear_mailbox_depth{gear=\"slow\",gearbox=\"held\",machine=\"tester\",namespace=\"test\"}")
          .contains("erlmachine_machine_ready{machine=\"tester\",namespace=\"test\"}")
          .contains("erlmachine_gear_restarts_total")
          .contains("erlmachine_dead_letters_total");
    });
  }

  @Test
  void gearsCallOnlyTheHostsTheMachineAllows() {
    accepted("caller", "fetch", "{\"url\": \"http://localhost:8081/api/v1/machine\"}");
    await().atMost(PATIENCE).untilAsserted(() -> {
      assertThat(Api.state("caller", "fetch").getInt("last.status")).isEqualTo(200);
      assertThat(Api.state("caller", "fetch").getString("last.name")).isEqualTo("tester");
    });

    String refused = accepted("caller", "fetch", "{\"url\": \"http://example.com/\"}");
    await().atMost(PATIENCE).until(() -> Api.deadLetterReason(refused) != null);
    assertThat(Api.deadLetterReason(refused)).contains("example.com:80 is not in the machine's outboundHosts [localhost:8081]");
  }
}
