package io.erlmachine.engine.http;

import static io.erlmachine.engine.http.Api.accepted;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.path.json.JsonPath;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

@QuarkusTest
@TestProfile(EngineTestProfile.class)
class HotReloadTest {
  private static final Duration PATIENCE = Duration.ofSeconds(15);
  private static final String PICKY = "throw new Error('cannot handle ' + JSON.stringify(message.body));";

  @AfterEach
  void restore() {
    Instant before = lastReloadAt();
    EngineTestProfile.restoreConfig();
    await().atMost(PATIENCE).until(() -> lastReloadAt().isAfter(before) && machine().getBoolean("lastReload.applied"));
  }

  @Test
  void changedGearsAreSwappedAndUnchangedGearsKeepTheirState() {
    accepted("orders", "in", "{\"id\": 1, \"qty\": 1}");
    await().atMost(PATIENCE).until(() -> Api.state("orders", "price").getInt("priced") >= 1);
    int priced = Api.state("orders", "price").getInt("priced");

    reload(EngineTestProfile.originalConfig()
        .replace(PICKY, "return { swapped: true };")
        .replace("  - {name: items, prototype: counter}\n", "  - {name: items, prototype: counter}\n  - {name: extra, prototype: counter}\n"));

    JsonPath reload = machine();
    assertThat(reload.getBoolean("lastReload.applied")).isTrue();
    assertThat(reload.getInt("lastReload.result.added")).isEqualTo(1);
    assertThat(reload.getInt("lastReload.result.updated")).isEqualTo(1);
    assertThat(Api.state("orders", "price").getInt("priced")).as("state of an unchanged gear").isGreaterThanOrEqualTo(priced);
    long out = Api.processed("fragile", "out");
    accepted("fragile", "picky", "{\"bad\": true}");
    await().atMost(PATIENCE).until(() -> Api.processed("fragile", "out") == out + 1);
    given().get("/api/v1/gearboxes/shapes").then().body("gears.name", hasItem("extra"));
  }

  @Test
  void anInvalidConfigIsRejectedAndTheRunningOneStays() {
    reload(EngineTestProfile.originalConfig().replace("{from: fan, to: right}", "{from: fan, to: ghost}"));
    JsonPath machine = machine();
    assertThat(machine.getBoolean("lastReload.applied")).isFalse();
    assertThat(machine.getList("lastReload.problems", String.class))
        .contains("gearbox shapes, shaft fan -> ghost: no gear named ghost");
    given().get("/api/v1/gearboxes/shapes/gears/fan").then().body("outputs", equalTo(java.util.List.of("left", "right")));

    given().post("/api/v1/reload").then().statusCode(422).body("error", equalTo("InvalidConfig"))
        .body("details", hasItem("gearbox shapes, shaft fan -> ghost: no gear named ghost"));
  }

  @Test
  void javaScriptThatDoesNotCompileIsRejectedWithTheLine() {
    reload(EngineTestProfile.originalConfig().replace(PICKY, "throw new Error('x' +);"));
    assertThat(machine().getList("lastReload.problems", String.class)).singleElement().asString()
        .contains("gearbox fragile, gear picky").contains("SyntaxError").contains("picky.mjs:4");
    given().get("/api/v1/gearboxes/fragile").then().body("gears.find { it.name == 'picky' }.status", equalTo("RUNNING"));
  }

  @Test
  void unknownPrototypesAndGearsWithoutWhatTheyNeedAreRejected() {
    reload(EngineTestProfile.originalConfig()
        .replace("{name: left, prototype: counter}", "{name: left, prototype: teleporter}")
        .replace("{name: clock, prototype: timer, intervalMillis: 20,", "{name: clock, prototype: timer,")
        .replace("{from: audit, to: sink}", "{from: sink, to: audit}"));
    assertThat(machine().getList("lastReload.problems", String.class))
        .anySatisfy(p -> assertThat(p).contains("gear left: unknown prototype 'teleporter'"))
        .anySatisfy(p -> assertThat(p).contains("gear clock: a timer gear needs an interval"))
        .anySatisfy(p -> assertThat(p).contains("shaft sink -> audit: sink is a counter (a sink) and has no output"));
    given().get("/api/v1/machine").then().body("ready", equalTo(machine().getBoolean("ready")))
        .body("lastReload.problems[0]", containsString("gearbox"));
  }

  private static void reload(String yaml) {
    Instant before = lastReloadAt();
    EngineTestProfile.writeConfig(yaml);
    await().atMost(PATIENCE).until(() -> lastReloadAt().isAfter(before));
  }

  private static JsonPath machine() {
    return given().get("/api/v1/machine").then().statusCode(200).extract().jsonPath();
  }

  private static Instant lastReloadAt() {
    return Instant.parse(machine().getString("lastReload.at"));
  }
}
