package io.erlmachine.engine.http;

import java.util.List;
import java.util.Map;

/** An error the REST API answers with: an HTTP status, a short error code and a clear message. */
public final class ApiException extends RuntimeException {
  private final int status;
  private final String error;
  private final List<String> details;
  private final Map<String, String> headers;

  public ApiException(int status, String error, String message) {
    this(status, error, message, List.of(), Map.of());
  }

  public ApiException(int status, String error, String message, List<String> details, Map<String, String> headers) {
    super(message);
    this.status = status;
    this.error = error;
    this.details = details;
    this.headers = headers;
  }

  public static ApiException notFound(String message) {
    return new ApiException(404, "NotFound", message);
  }

  public static ApiException badRequest(String message) {
    return new ApiException(400, "BadRequest", message);
  }

  /** The engine shuts down: it takes no new messages, finishes those it accepted, and another engine takes over. */
  public static ApiException shuttingDown() {
    return new ApiException(503, "ShuttingDown", "this engine is shutting down: it takes no new messages and finishes those it"
        + " accepted; retry, the machine serves again in a moment", List.of(), Map.of("Retry-After", "1"));
  }

  public int status() {
    return status;
  }

  public String error() {
    return error;
  }

  public List<String> details() {
    return details;
  }

  public Map<String, String> headers() {
    return headers;
  }
}
