package io.erlmachine.engine.http;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.vertx.core.http.HttpServerResponse;
import java.util.List;

/** Every error the REST API returns. */
@JsonInclude(JsonInclude.Include.NON_EMPTY)
public record ErrorBody(int status, String error, String message, List<String> details) {
  private static final ObjectMapper JSON = new ObjectMapper();

  /** Answers with this error from a router handler, which runs before (or instead of) the REST resources. */
  void endWith(HttpServerResponse response) {
    try {
      response.setStatusCode(status).putHeader("Content-Type", "application/json").end(JSON.writeValueAsString(this));
    } catch (JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }
}
