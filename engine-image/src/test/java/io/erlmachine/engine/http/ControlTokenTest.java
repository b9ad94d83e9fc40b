package io.erlmachine.engine.http;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.http.ContentType;
import io.restassured.specification.RequestSpecification;
import org.junit.jupiter.api.Test;

@QuarkusTest
@TestProfile(ControlTokenProfile.class)
class ControlTokenTest {
  private static final String ENGAGED = "{\"clutch\": \"Engaged\"}";

  @Test
  void controlRequestsWithoutTheTokenAreRefusedAndSayWhereTheTokenIs() {
    given().post("/api/v1/reload").then().statusCode(401)
        .header("WWW-Authenticate", containsString("Bearer"))
        .body("status", equalTo(401))
        .body("error", equalTo("Unauthorized"))
        .body("message", containsString("POST /api/v1/reload"))
        .body("message", containsString("Authorization: Bearer"))
        .body("message", containsString("kubectl get secret erlmachine-host-control"));
    given().post("/api/v1/gearboxes/orders/gears/sink/restart").then().statusCode(401);
    given().contentType(ContentType.JSON).body(ENGAGED).put("/api/v1/machine/clutch").then().statusCode(401);
    given().contentType(ContentType.JSON).body(ENGAGED).put("/api/v1/gearboxes/orders/clutch").then().statusCode(401);
    given().post("/api/v1/gearboxes/orders/self-tests").then().statusCode(401);
    given().delete("/api/v1/machine").then().statusCode(401);
  }

  @Test
  void aWrongTokenOrAnotherSchemeIsRefused() {
    bearer("not-the-token").post("/api/v1/gearboxes/orders/gears/sink/restart").then().statusCode(401);
    bearer(ControlTokenProfile.TOKEN + "x").post("/api/v1/gearboxes/orders/gears/sink/restart").then().statusCode(401);
    bearer("").post("/api/v1/reload").then().statusCode(401);
    given().header("Authorization", "Basic " + ControlTokenProfile.TOKEN).post("/api/v1/reload").then().statusCode(401);
    given().header("Authorization", ControlTokenProfile.TOKEN).post("/api/v1/reload").then().statusCode(401);
  }

  @Test
  void theTokenOpensEveryControlEndpoint() {
    bearer(ControlTokenProfile.TOKEN).post("/api/v1/gearboxes/orders/gears/sink/restart").then().statusCode(200)
        .body("status", equalTo("RUNNING"));
    bearer(ControlTokenProfile.TOKEN).contentType(ContentType.JSON).body(ENGAGED).put("/api/v1/machine/clutch").then().statusCode(200);
    bearer(ControlTokenProfile.TOKEN).contentType(ContentType.JSON).body(ENGAGED).put("/api/v1/gearboxes/orders/clutch").then().statusCode(200);
    bearer(ControlTokenProfile.TOKEN).post("/api/v1/gearboxes/orders/self-tests").then().statusCode(200);
    given().header("Authorization", "bearer " + ControlTokenProfile.TOKEN).post("/api/v1/reload").then().statusCode(200);
  }

  @Test
  void messagesBatchesAndReadsStayOpen() {
    given().contentType(ContentType.JSON).body("{\"id\": 3, \"qty\": 1}").post("/api/v1/gearboxes/orders/gears/in/messages")
        .then().statusCode(202);
    given().contentType(ContentType.JSON).body("{\"messages\": [{\"tracking\": \"9-mwr6gp1l-2b\", \"body\": {\"id\": 4, \"qty\": 1}}]}")
        .post("/api/v1/gearboxes/orders/gears/in/batches").then().statusCode(200).body("handled", equalTo(1));
    given().get("/api/v1/machine").then().statusCode(200).body("name", equalTo("tester"));
    given().get("/api/v1/gearboxes/orders/gears/sink/state").then().statusCode(200);
    given().get("/api/v1/dead-letters").then().statusCode(200);
    given().get("/q/health/live").then().statusCode(200);
  }

  @Test
  void onlyTheMessageAndBatchPathsThemselvesAreOpen() {
    given().contentType(ContentType.JSON).body("{}").post("/api/v1/gearboxes/orders/gears/in/messages/extra").then().statusCode(401);
    given().contentType(ContentType.JSON).body("{}").put("/api/v1/gearboxes/orders/gears/in/messages").then().statusCode(401);
  }

  private static RequestSpecification bearer(String token) {
    return given().header("Authorization", "Bearer " + token);
  }
}
