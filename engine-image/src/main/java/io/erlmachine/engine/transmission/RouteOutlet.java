package io.erlmachine.engine.transmission;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.erlmachine.api.config.MachineConfig;
import io.erlmachine.engine.runtime.GearCell;
import io.erlmachine.engine.runtime.GearId;
import io.erlmachine.engine.runtime.Hop;
import io.erlmachine.engine.runtime.Inlet;
import io.erlmachine.engine.runtime.Mailbox;
import io.erlmachine.engine.runtime.Message;
import io.erlmachine.engine.runtime.RuntimeServices;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BooleanSupplier;
import java.util.function.Function;
import java.util.regex.Pattern;

/**
 * Where a gear's output leaves the machine along one transmission. Messages wait in a bounded
 * queue (a full queue holds the sending gear back, as a full mailbox does) and are delivered
 * over HTTP to the target machines' DNS names: to every target (PubSub), to one target in turn
 * (Pipeline, trying the next one after a failure), or to one target whose reply comes back to
 * the sending gear (RequestReply). Failed attempts are retried with exponential backoff; a
 * message that still cannot be delivered is dead-lettered with the reason. Every attempt keeps
 * the message's tracking number and delivery id, so receivers drop duplicates.
 */
public final class RouteOutlet implements Inlet, AutoCloseable {
  public static final String TRACKING_HEADER = "Erlmachine-Tracking";
  public static final String DELIVERY_HEADER = "Erlmachine-Delivery";
  public static final String FROM_HEADER = "Erlmachine-From";
  public static final String MESSAGE_HEADER_PREFIX = "Erlmachine-Header-";
  /** Header of a reply delivered to the requesting gear: the transmission it came back on. */
  public static final String REPLY_FROM_HEADER = "reply-from";
  private static final Pattern HEADER_NAME = Pattern.compile("[A-Za-z0-9-]{1,64}");
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final int MAX_IN_FLIGHT = 64;

  private final RuntimeServices services;
  private final HttpClient http;
  private final Function<GearId, GearCell> gears;
  private final BooleanSupplier machineEngaged;
  private final int peerPort;
  private final Mailbox queue;
  private final Semaphore inFlight = new Semaphore(MAX_IN_FLIGHT);
  private final AtomicLong deliveries = new AtomicLong();
  private final AtomicInteger nextTarget = new AtomicInteger();
  private final AtomicLong delivered = new AtomicLong();
  private final AtomicLong retries = new AtomicLong();
  private final AtomicLong deadLettered = new AtomicLong();
  private volatile MachineConfig.RouteConfig route;
  private volatile boolean closed;

  public RouteOutlet(MachineConfig.RouteConfig route, int queueCapacity, RuntimeServices services, HttpClient http,
                     Function<GearId, GearCell> gears, BooleanSupplier machineEngaged, int peerPort) {
    this.route = route;
    this.services = services;
    this.http = http;
    this.gears = gears;
    this.machineEngaged = machineEngaged;
    this.peerPort = peerPort;
    this.queue = new Mailbox(queueCapacity);
  }

  /** Counters of one transmission on this machine. */
  public record Counters(long delivered, long retries, long deadLettered, int queued) {
  }

  public Counters counters() {
    return new Counters(delivered.get(), retries.get(), deadLettered.get(), queue.size());
  }

  public MachineConfig.RouteConfig route() {
    return route;
  }

  /** New targets, policy or clutch; messages already queued keep waiting and go by the new route. */
  public void update(MachineConfig.RouteConfig newRoute) {
    route = newRoute;
    pump();
  }

  @Override
  public boolean acceptFrom(Message message, GearCell sender) {
    if (closed) {
      deadLetter(message, "transmission " + route.transmission() + " was removed from the machine config");
      return true;
    }
    if (!queue.offerOrWait(message, sender)) {
      return false;
    }
    pump();
    return true;
  }

  /** Starts as many deliveries as the in-flight limit allows, while the clutch is engaged. */
  public void pump() {
    while (!closed && engaged() && !queue.isEmpty() && inFlight.tryAcquire()) {
      List<GearCell> wake = new ArrayList<>();
      Message message = queue.poll(wake);
      wake.forEach(GearCell::wake);
      if (message == null) {
        inFlight.release();
        continue;
      }
      dispatch(message);
    }
  }

  private boolean engaged() {
    return machineEngaged.getAsBoolean() && !"Disengaged".equals(route.clutch());
  }

  private void dispatch(Message message) {
    MachineConfig.RouteConfig current = route;
    String deliveryId = message.tracking() + "/" + current.transmission() + "/" + deliveries.incrementAndGet();
    Runnable finished = () -> {
      inFlight.release();
      pump();
    };
    if (current.targets().isEmpty()) {
      deadLetter(message, "transmission " + current.transmission() + " has no target machine (none is selected yet)");
      finished.run();
      return;
    }
    if ("PubSub".equals(current.pattern())) {
      AtomicInteger remaining = new AtomicInteger(current.targets().size());
      for (int i = 0; i < current.targets().size(); i++) {
        attempt(message, deliveryId + "/" + i, current, i, 0, () -> {
          if (remaining.decrementAndGet() == 0) {
            finished.run();
          }
        });
      }
    } else {
      attempt(message, deliveryId, current, Math.floorMod(nextTarget.getAndIncrement(), current.targets().size()), 0, finished);
    }
  }

  private void attempt(Message message, String deliveryId, MachineConfig.RouteConfig current, int targetIndex, int retry,
                       Runnable done) {
    boolean pubSub = "PubSub".equals(current.pattern());
    boolean requestReply = "RequestReply".equals(current.pattern());
    MachineConfig.TargetConfig target = current.targets().get(pubSub ? targetIndex
        : Math.floorMod(targetIndex + retry, current.targets().size()));
    HttpRequest request = request(message, deliveryId, target, current, requestReply);
    http.sendAsync(request, HttpResponse.BodyHandlers.ofString()).whenComplete((response, error) -> {
      int status = response == null ? 0 : response.statusCode();
      if (error == null && (status == 200 || status == 202 || status == 409)) {
        delivered.incrementAndGet();
        String detail = status == 409 ? "delivered; dead-lettered at the target (gear stopped)"
            : "delivered to " + target.machine() + "/" + target.gearbox() + "/" + target.gear();
        services.journal().record(message.tracking(), new Hop(services.machine(), current.gearbox(), current.gear(), Instant.now(),
            Hop.Outcome.SENT, 0, current.transmission() + ": " + detail, target.dnsName()));
        if (requestReply && status == 200) {
          deliverReply(message, current, response.body());
        }
        done.run();
        return;
      }
      String why = error != null ? describe(error) : "HTTP " + status + " " + abbreviate(response.body());
      MachineConfig.Delivery delivery = current.delivery();
      if (retry < delivery.maxRetries() && !closed) {
        retries.incrementAndGet();
        long wait = Backoff.millis(retry, delivery.initialBackoffMillis(), delivery.maxBackoffMillis());
        services.ticker().schedule(() -> attempt(message, deliveryId, route, targetIndex, retry + 1, done), wait, TimeUnit.MILLISECONDS);
      } else {
        deadLetter(message, "transmission " + current.transmission() + ": not delivered to " + target.machine() + " ("
            + target.dnsName() + ") after " + (retry + 1) + " attempts; last: " + why);
        done.run();
      }
    });
  }

  private HttpRequest request(Message message, String deliveryId, MachineConfig.TargetConfig target,
                              MachineConfig.RouteConfig current, boolean requestReply) {
    String path = "/api/v1/gearboxes/" + encode(target.gearbox()) + "/gears/" + encode(target.gear()) + "/messages"
        + (requestReply ? "?reply=true" : "");
    HttpRequest.Builder builder = HttpRequest.newBuilder(URI.create("http://" + target.dnsName() + ":" + peerPort + path))
        .timeout(Duration.ofMillis(current.delivery().timeoutMillis()))
        .header("Content-Type", "application/json")
        .header(TRACKING_HEADER, message.tracking())
        .header(DELIVERY_HEADER, deliveryId)
        .header(FROM_HEADER, services.machine())
        .POST(HttpRequest.BodyPublishers.ofString(message.body()));
    message.headers().forEach((name, value) -> {
      if (HEADER_NAME.matcher(name).matches() && !name.startsWith("erlmachine-")) {
        builder.header(MESSAGE_HEADER_PREFIX + name, value);
      }
    });
    return builder.build();
  }

  private void deliverReply(Message request, MachineConfig.RouteConfig current, String responseBody) {
    String reply;
    try {
      JsonNode node = JSON.readTree(responseBody).path("reply");
      reply = node.isMissingNode() ? "null" : JSON.writeValueAsString(node);
    } catch (java.io.IOException e) {
      deadLetter(request, "transmission " + current.transmission() + ": the reply is not JSON");
      return;
    }
    Map<String, String> headers = new HashMap<>(request.headers());
    headers.put(REPLY_FROM_HEADER, current.transmission());
    GearCell requester = gears.apply(new GearId(current.gearbox(), current.gear()));
    Message replyMessage = new Message(request.tracking(), reply, headers);
    if (requester == null || requester.deliver(replyMessage) == GearCell.Delivery.FULL) {
      deadLetter(replyMessage, "transmission " + current.transmission() + ": the reply could not be handed to "
          + current.gearbox() + "/" + current.gear() + (requester == null ? " (gone)" : " (mailbox full)"));
      return;
    }
    services.journal().record(request.tracking(), new Hop(services.machine(), current.gearbox(), current.gear(), Instant.now(),
        Hop.Outcome.REPLIED, 0, current.transmission() + ": reply received", null));
  }

  private void deadLetter(Message message, String reason) {
    deadLettered.incrementAndGet();
    MachineConfig.RouteConfig current = route;
    GearId source = new GearId(current.gearbox(), current.gear());
    services.deadLetters().add(source, message, reason);
    services.journal().record(message.tracking(), new Hop(services.machine(), source.gearbox(), source.gear(), Instant.now(),
        Hop.Outcome.DEAD_LETTERED, 0, reason));
    if (current.delivery().deadLetterGearbox() != null) {
      GearCell deadLetterGear = gears.apply(new GearId(current.delivery().deadLetterGearbox(), current.delivery().deadLetterGear()));
      if (deadLetterGear != null) {
        Map<String, String> headers = new HashMap<>(message.headers());
        headers.put("dead-letter-reason", abbreviate(reason));
        deadLetterGear.deliver(new Message(message.tracking(), message.body(), headers));
      }
    }
  }

  /** Stops for good: queued messages are dead-lettered; deliveries under way finish. */
  @Override
  public void close() {
    closed = true;
    List<GearCell> wake = new ArrayList<>();
    queue.drain(wake).forEach(m -> deadLetter(m, "transmission " + route.transmission() + " was removed from the machine config"));
    wake.forEach(GearCell::wake);
  }

  private static String describe(Throwable error) {
    Throwable cause = error instanceof java.util.concurrent.CompletionException && error.getCause() != null ? error.getCause() : error;
    return cause.getClass().getSimpleName() + (cause.getMessage() == null ? "" : ": " + cause.getMessage());
  }

  private static String abbreviate(String text) {
    return text == null ? "" : text.length() > 300 ? text.substring(0, 300) + "..." : text;
  }

  private static String encode(String segment) {
    return URLEncoder.encode(segment, StandardCharsets.UTF_8);
  }
}
