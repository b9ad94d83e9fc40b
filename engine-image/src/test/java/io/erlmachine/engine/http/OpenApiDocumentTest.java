package io.erlmachine.engine.http;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** The committed OpenAPI document of the engine is the one the engine serves. */
@QuarkusTest
@TestProfile(EngineTestProfile.class)
class OpenApiDocumentTest {
  private static final Path COMMITTED = Path.of(System.getProperty("erlmachine.repo.root"), "docs", "reference", "engine-api.openapi.yaml");

  @Test
  void committedDocumentMatchesTheServedOne() throws IOException {
    String served = given().get("/q/openapi").then().statusCode(200).extract().asString();
    assertThat(served).contains("/api/v1/gearboxes/{gearbox}/gears/{gear}/messages", "/api/v1/transmissions", "/api/v1/tracks/{tracking}",
        "/api/v1/logs");
    if (Boolean.getBoolean("erlmachine.update-docs")) {
      Files.writeString(COMMITTED, served);
    }
    assertThat(Files.exists(COMMITTED) ? Files.readString(COMMITTED) : "")
        .as("docs/reference/engine-api.openapi.yaml is out of date; run ./mvnw -pl engine-image test -Dtest=OpenApiDocumentTest -Derlmachine.update-docs=true")
        .isEqualTo(served);
  }
}
