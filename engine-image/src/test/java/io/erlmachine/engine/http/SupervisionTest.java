package io.erlmachine.engine.http;

import static io.erlmachine.engine.http.Api.accepted;
import static io.erlmachine.engine.http.Api.send;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import java.time.Duration;
import org.junit.jupiter.api.Test;

@QuarkusTest
@TestProfile(EngineTestProfile.class)
class SupervisionTest {
  private static final Duration PATIENCE = Duration.ofSeconds(10);

  @Test
  void aCrashingGearIsRestartedUntilItsPolicyGivesUpThenTheGearboxIsDegraded() {
    given().post("/api/v1/gearboxes/fragile/gears/picky/restart").then().statusCode(200).body("status", equalTo("RUNNING"));
    accepted("fragile", "picky", "{\"ok\": 1}");
    await().atMost(PATIENCE).until(() -> Api.state("fragile", "picky").getInt("seen") == 1);

    String crash = accepted("fragile", "picky", "{\"bad\": 1}");
    await().atMost(PATIENCE).until(() -> Api.deadLetterReason(crash) != null);
    assertThat(Api.deadLetterReason(crash)).contains("cannot handle {\"bad\":1}").contains("picky.mjs:4");
    assertThat(Api.gear("fragile", "picky").getLong("counters.restarts")).isEqualTo(1);
    await().atMost(PATIENCE).until(() -> Api.state("fragile", "picky").getString("seen") == null);

    accepted("fragile", "picky", "{\"bad\": 2}");
    String last = accepted("fragile", "picky", "{\"bad\": 3}");
    await().atMost(PATIENCE).untilAsserted(() -> given().get("/api/v1/gearboxes/fragile").then()
        .body("phase", equalTo("DEGRADED"))
        .body("gears.find { it.name == 'picky' }.status", equalTo("STOPPED"))
        .body("gears.find { it.name == 'picky' }.lastFailure", containsString("cannot handle {\"bad\":3}")));
    assertThat(Api.deadLetterReason(last)).contains("cannot handle");
    given().get("/q/health/ready").then().statusCode(503);

    send("fragile", "picky", "{\"ok\": 2}").then().statusCode(409).body("error", equalTo("GearStopped"))
        .body("message", containsString("dead-lettered"));

    given().post("/api/v1/gearboxes/fragile/gears/picky/restart").then().statusCode(200).body("status", equalTo("RUNNING"));
    long out = Api.processed("fragile", "out");
    accepted("fragile", "picky", "{\"ok\": 3}");
    await().atMost(PATIENCE).until(() -> Api.processed("fragile", "out") == out + 1);
    given().get("/api/v1/gearboxes/fragile").then().body("phase", equalTo("RUNNING"));
    await().atMost(PATIENCE).untilAsserted(() -> given().get("/q/health/ready").then().statusCode(200));
  }
}
