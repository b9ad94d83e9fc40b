package io.erlmachine.engine.http;

import static io.restassured.RestAssured.given;

import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import io.restassured.response.Response;

/** Small helpers over the engine's REST API for tests. */
final class Api {
  private Api() {
  }

  static Response send(String gearbox, String gear, String json) {
    return given().contentType(ContentType.JSON).body(json).post("/api/v1/gearboxes/{b}/gears/{g}/messages", gearbox, gear);
  }

  static String accepted(String gearbox, String gear, String json) {
    return send(gearbox, gear, json).then().statusCode(202).extract().path("tracking");
  }

  static JsonPath gear(String gearbox, String gear) {
    return given().get("/api/v1/gearboxes/{b}/gears/{g}", gearbox, gear).then().statusCode(200).extract().jsonPath();
  }

  static long processed(String gearbox, String gear) {
    return gear(gearbox, gear).getLong("counters.processed");
  }

  static long failed(String gearbox, String gear) {
    return gear(gearbox, gear).getLong("counters.failed");
  }

  static JsonPath state(String gearbox, String gear) {
    return given().get("/api/v1/gearboxes/{b}/gears/{g}/state", gearbox, gear).then().statusCode(200).extract().jsonPath();
  }

  static JsonPath deadLetters() {
    return given().get("/api/v1/dead-letters?limit=1000").then().statusCode(200).extract().jsonPath();
  }

  static String deadLetterReason(String tracking) {
    return deadLetters().getList("recent.findAll { it.tracking == '" + tracking + "' }.reason", String.class)
        .stream().findFirst().orElse(null);
  }
}
