package io.erlmachine.engine.http;

import io.erlmachine.engine.logs.LogPage;
import io.erlmachine.engine.logs.LogRing;
import jakarta.ws.rs.DefaultValue;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/**
 * The machine's own recent log lines, from the ring its engine keeps for it: on a shared host,
 * only this machine's, never a neighbour's. With a control token set it needs the token, since
 * log lines can carry what gears handle.
 */
@Path("/api/v1/logs")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "machine", description = "The machine this listener serves")
public class LogResource {
  static final int MAX_LIMIT = 10_000;
  private final Serving serving;

  LogResource(Serving serving) {
    this.serving = serving;
  }

  @GET
  @Operation(summary = "The machine's recent log lines, oldest first: the newest ones, or those after a sequence number or since a time")
  public LogPage logs(
      @Parameter(description = "a sequence number (lines after it) or an ISO-8601 time (lines at or after it); without it the newest lines")
      @QueryParam("since") String since,
      @Parameter(description = "lines to return at most (1 to 10000)") @QueryParam("limit") @DefaultValue("100") int limit) {
    LogRing ring = serving.machine().log().ring();
    if (limit < 1 || limit > MAX_LIMIT) {
      throw ApiException.badRequest("limit must be between 1 and " + MAX_LIMIT + ", not " + limit);
    }
    if (since == null || since.isBlank()) {
      return ring.tail(limit);
    }
    if (since.chars().allMatch(Character::isDigit)) {
      try {
        return ring.after(Long.parseLong(since), limit);
      } catch (NumberFormatException e) {
        throw ApiException.badRequest("since: " + since + " is too large for a sequence number");
      }
    }
    try {
      return ring.since(Instant.parse(since), limit);
    } catch (DateTimeParseException e) {
      throw ApiException.badRequest("since must be a sequence number (lines after it) or an ISO-8601 time such as"
          + " 2026-01-01T10:00:00Z, not " + since);
    }
  }
}
