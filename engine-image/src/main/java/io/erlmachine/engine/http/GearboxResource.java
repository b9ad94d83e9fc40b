package io.erlmachine.engine.http;

import com.fasterxml.jackson.databind.JsonNode;
import io.erlmachine.engine.machine.GearboxRuntime;
import io.erlmachine.engine.machine.MachineRuntime;
import io.erlmachine.engine.runtime.GearCell;
import io.erlmachine.engine.runtime.GearId;
import io.erlmachine.engine.runtime.JsonText;
import io.erlmachine.engine.runtime.Message;
import io.erlmachine.engine.selftest.SelfTestResult;
import io.erlmachine.engine.transmission.RouteOutlet;
import io.smallrye.common.annotation.NonBlocking;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.DefaultValue;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.io.IOException;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/** Gearboxes and their gears: inspect, engage, send messages, read state, restart, self-test. */
@Path("/api/v1/gearboxes")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "gearboxes", description = "Gearboxes and their gears")
public class GearboxResource {
  /** Request header carrying a message's tracking number (kept when valid, otherwise one is issued). */
  public static final String TRACKING_HEADER = "Erlmachine-Tracking";
  /** Prefix of request headers that become message headers (the rest of the name, in lower case). */
  public static final String MESSAGE_HEADER_PREFIX = "erlmachine-header-";
  private static final com.fasterxml.jackson.databind.ObjectMapper BATCH_JSON = new com.fasterxml.jackson.databind.ObjectMapper();

  private final Serving serving;

  GearboxResource(Serving serving) {
    this.serving = serving;
  }

  @GET
  @Operation(summary = "All gearboxes with their gears and counters")
  public List<Views.GearboxView> gearboxes() {
    return serving.machine().gearboxes().values().stream().map(Views.GearboxView::of).toList();
  }

  @GET
  @Path("{gearbox}")
  @Operation(summary = "One gearbox with its gears, counters and latest self-test results")
  public Views.GearboxView gearbox(@PathParam("gearbox") String name) {
    return Views.GearboxView.of(gearboxNamed(name));
  }

  @PUT
  @Path("{gearbox}/clutch")
  @Consumes(MediaType.APPLICATION_JSON)
  @Operation(summary = "Engage or disengage one gearbox")
  public Views.Clutch clutch(@PathParam("gearbox") String name, Views.Clutch clutch) {
    gearboxNamed(name);
    serving.machine().engage(name, Clutches.engaged(clutch));
    return clutch;
  }

  @GET
  @Path("{gearbox}/gears/{gear}")
  @Operation(summary = "One gear with its counters")
  public Views.GearView gear(@PathParam("gearbox") String gearbox, @PathParam("gear") String gear) {
    return Views.GearView.of(cell(gearbox, gear));
  }

  @POST
  @Path("{gearbox}/gears/{gear}/messages")
  @Consumes(MediaType.WILDCARD)
  @NonBlocking
  @Operation(summary = "Send a JSON message to a gear. 202 with the tracking number; 503 with Retry-After when its"
      + " mailbox is full or the engine is shutting down (it finishes what it accepted, then another engine takes over);"
      + " 409 when the gear is stopped (the message is dead-lettered). With reply=true (and an Erlmachine-Delivery id),"
      + " 200 with the first message the gear emits, or 502 when it fails or does not answer")
  public CompletionStage<Response> send(@PathParam("gearbox") String gearbox, @PathParam("gear") String gear, String body,
                                       @Context HttpHeaders headers, @QueryParam("reply") @DefaultValue("false") boolean reply) {
    MachineRuntime machine = serving.machine();
    requireJson(body);
    String deliveryId = headers.getHeaderString(RouteOutlet.DELIVERY_HEADER);
    if (reply && deliveryId == null) {
      throw ApiException.badRequest("reply=true needs an " + RouteOutlet.DELIVERY_HEADER + " header that identifies the request");
    }
    MachineRuntime.Sent sent;
    if (!serving.intake().admit(null)) {
      throw ApiException.shuttingDown();
    }
    try {
      sent = machine.send(gearbox, gear, body, messageHeaders(headers), headers.getHeaderString(TRACKING_HEADER), deliveryId, reply);
    } catch (IllegalArgumentException e) {
      throw new ApiException(413, "MessageTooLarge", e.getMessage());
    } finally {
      serving.intake().admitted();
    }
    if (sent.delivery() == null) {
      cell(gearbox, gear);
      throw ApiException.notFound("no gear " + gearbox + "/" + gear + " in this machine");
    }
    if (sent.reply() != null) {
      long timeout = machine.config().limits().messageTimeoutMillis() * 2 + 1000;
      return sent.reply().orTimeout(timeout, TimeUnit.MILLISECONDS).handle((replyBody, failure) -> {
        machine.forgetReply(deliveryId);
        if (failure != null) {
          String why = failure instanceof TimeoutException || failure.getCause() instanceof TimeoutException
              ? "no reply within " + timeout + "ms" : String.valueOf(failure.getCause() == null ? failure.getMessage() : failure.getCause().getMessage());
          return new ErrorMappers().api(new ApiException(502, "NoReply", "gear " + gearbox + "/" + gear + " did not reply: " + why));
        }
        String json = "{\"tracking\":\"" + sent.tracking() + "\",\"outcome\":\"replied\",\"reply\":" + (replyBody == null ? "null" : replyBody) + "}";
        return Response.ok(json, MediaType.APPLICATION_JSON).build();
      });
    }
    return CompletableFuture.completedFuture(switch (sent.delivery()) {
      case ACCEPTED -> Response.accepted(new Views.Accepted(sent.tracking(), "accepted")).build();
      case DUPLICATE -> Response.accepted(new Views.Accepted(sent.tracking(), "duplicate")).build();
      case FULL -> throw new ApiException(503, "MailboxFull", "the mailbox of " + gearbox + "/" + gear
          + " is full; retry later", List.of(), Map.of("Retry-After", "1"));
      case DEAD_LETTERED -> throw new ApiException(409, "GearStopped", "gear " + gearbox + "/" + gear
          + " is not running (" + cell(gearbox, gear).lastFailure() + "); the message was dead-lettered with tracking number "
          + sent.tracking(), List.of(), Map.of(TRACKING_HEADER, sent.tracking()));
    });
  }

  @POST
  @Path("{gearbox}/gears/{gear}/batches")
  @Consumes(MediaType.APPLICATION_JSON)
  @NonBlocking
  @Operation(summary = "Deliver a batch of messages from another machine: {\"messages\": [{tracking, delivery, headers, body}]}."
      + " Answers how many, from the start, were handled (accepted, dropped as duplicates or dead-lettered); the sender"
      + " retries the rest (the gear's mailbox filled up)")
  public Views.BatchResult batch(@PathParam("gearbox") String gearbox, @PathParam("gear") String gear,
                                 @HeaderParam(RouteOutlet.FROM_HEADER) String from, String body) {
    MachineRuntime machine = serving.machine();
    cell(gearbox, gear);
    JsonNode messages;
    try {
      messages = BATCH_JSON.readTree(body).path("messages");
    } catch (IOException e) {
      throw ApiException.badRequest("a batch must be {\"messages\": [...]}: " + e.getMessage());
    }
    if (!messages.isArray()) {
      throw ApiException.badRequest("a batch must be {\"messages\": [...]}");
    }
    if (!serving.intake().admit(from)) {
      throw ApiException.shuttingDown();
    }
    try {
      return deliver(machine, gearbox, gear, messages);
    } finally {
      serving.intake().admitted();
    }
  }

  private static Views.BatchResult deliver(MachineRuntime machine, String gearbox, String gear, JsonNode messages) {
    int handled = 0;
    int duplicates = 0;
    int deadLettered = 0;
    for (JsonNode message : messages) {
      Map<String, String> headers = new HashMap<>();
      message.path("headers").fields().forEachRemaining(h -> headers.put(h.getKey(), h.getValue().asText()));
      MachineRuntime.Sent sent;
      try {
        sent = machine.send(gearbox, gear, message.path("body").toString(), headers, message.path("tracking").asText(null),
            message.path("delivery").asText(null), false);
      } catch (IllegalArgumentException tooLarge) {
        // Larger than this machine takes: retrying cannot help, so it is dead-lettered here and the batch goes on.
        machine.deadLetters().add(new GearId(gearbox, gear), new Message(message.path("tracking").asText("unknown"),
            message.path("body").toString(), headers), tooLarge.getMessage());
        deadLettered++;
        handled++;
        continue;
      }
      if (sent.delivery() == GearCell.Delivery.FULL) {
        break;
      }
      duplicates += sent.delivery() == GearCell.Delivery.DUPLICATE ? 1 : 0;
      deadLettered += sent.delivery() == GearCell.Delivery.DEAD_LETTERED ? 1 : 0;
      handled++;
    }
    return new Views.BatchResult(handled, duplicates, deadLettered);
  }

  @GET
  @Path("{gearbox}/gears/{gear}/state")
  @Operation(summary = "The gear's state (gear.state for JavaScript gears), taken between two messages")
  public Response state(@PathParam("gearbox") String gearbox, @PathParam("gear") String gear) {
    String json = await(cell(gearbox, gear).snapshot());
    return Response.ok(json, MediaType.APPLICATION_JSON).build();
  }

  @POST
  @Path("{gearbox}/gears/{gear}/restart")
  @Operation(summary = "Restart the gear with fresh state and a fresh restart budget (also revives a stopped gear)")
  public Views.GearView restart(@PathParam("gearbox") String gearbox, @PathParam("gear") String gear) {
    GearCell cell = cell(gearbox, gear);
    await(cell.restart());
    return Views.GearView.of(cell);
  }

  @GET
  @Path("{gearbox}/self-tests")
  @Operation(summary = "The latest self-test results of a gearbox")
  public Views.SelfTestsView selfTests(@PathParam("gearbox") String name) {
    GearboxRuntime.SelfTestRun run = gearboxNamed(name).selfTests();
    if (run == null) {
      throw ApiException.notFound("the self-tests of gearbox " + name + " have not run yet");
    }
    return new Views.SelfTestsView(run.finishedAt(), run.passed(), run.results());
  }

  @POST
  @Path("{gearbox}/self-tests")
  @Operation(summary = "Run a gearbox's self-tests now, in fresh contexts, and return the results")
  public Views.SelfTestsView runSelfTests(@PathParam("gearbox") String name) {
    gearboxNamed(name);
    GearboxRuntime.SelfTestRun run = await(serving.machine().runSelfTests(name));
    List<SelfTestResult> results = run.results();
    return new Views.SelfTestsView(run.finishedAt(), run.passed(), results);
  }

  private GearboxRuntime gearboxNamed(String name) {
    GearboxRuntime gearbox = serving.machine().gearboxes().get(name);
    if (gearbox == null) {
      throw ApiException.notFound("no gearbox named " + name + " in this machine; it has " + serving.machine().gearboxes().keySet());
    }
    return gearbox;
  }

  private GearCell cell(String gearbox, String gear) {
    GearboxRuntime box = gearboxNamed(gearbox);
    GearCell cell = serving.machine().cell(new GearId(gearbox, gear));
    if (cell == null) {
      throw ApiException.notFound("no gear named " + gear + " in gearbox " + gearbox + "; it has " + box.cells().keySet());
    }
    return cell;
  }

  private static Map<String, String> messageHeaders(HttpHeaders headers) {
    Map<String, String> result = new HashMap<>();
    headers.getRequestHeaders().forEach((name, values) -> {
      String lower = name.toLowerCase(Locale.ROOT);
      if (lower.startsWith(MESSAGE_HEADER_PREFIX) && lower.length() > MESSAGE_HEADER_PREFIX.length()) {
        result.put(lower.substring(MESSAGE_HEADER_PREFIX.length()), String.join(",", values));
      }
    });
    return result;
  }

  private static void requireJson(String body) {
    String problem = JsonText.problem(body);
    if (JsonText.MORE_THAN_ONE.equals(problem)) {
      throw ApiException.badRequest("the message body must be one JSON value; found more after it");
    }
    if (problem != null) {
      throw ApiException.badRequest("the message body is not JSON (" + problem + "); send one JSON value, for example {\"id\": 1}");
    }
  }


  private static <T> T await(java.util.concurrent.Future<T> future) {
    try {
      return future.get(30, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new ApiException(503, "Interrupted", "the engine is shutting down");
    } catch (TimeoutException e) {
      throw new ApiException(504, "Timeout", "the gear did not answer within 30s; it may be busy with a long message");
    } catch (ExecutionException e) {
      throw new ApiException(500, "GearError", e.getCause().getMessage());
    }
  }
}
