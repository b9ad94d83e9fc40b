package io.erlmachine.engine.runtime;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import java.io.IOException;

/** Checks that text is exactly one JSON value, without building it. */
public final class JsonText {
  public static final String MORE_THAN_ONE = "more than one JSON value";
  private static final JsonFactory JSON = new JsonFactory();

  private JsonText() {
  }

  /** Null when the text is one JSON value; otherwise what is wrong with it. */
  public static String problem(String text) {
    if (text == null || text.isBlank()) {
      return "empty";
    }
    try (JsonParser parser = JSON.createParser(text)) {
      parser.nextToken();
      parser.skipChildren();
      return parser.nextToken() == null ? null : MORE_THAN_ONE;
    } catch (JsonProcessingException e) {
      return e.getOriginalMessage();
    } catch (IOException e) {
      return e.getMessage();
    }
  }
}
