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
 * the message's tracking number and delivery id, so receivers drop duplicates. A target that answers 503 ShuttingDown
 * is moving to its host's next engine: its failures wait and are tried again without using up retries, for at most
 * the patience of {@link MovingTargets}. A target whose mailbox is full takes part of a batch or none of it: the rest
 * waits and is tried again without using up retries while the target keeps taking messages ({@link CongestedTargets}),
 * and meanwhile this outlet's own queue fills and holds back the gear that emits.
 */
public final class RouteOutlet implements Inlet, AutoCloseable {
  public static final String TRACKING_HEADER = "Erlmachine-Tracking";
  public static final String DELIVERY_HEADER = "Erlmachine-Delivery";
  public static final String FROM_HEADER = "Erlmachine-From";
  public static final String MESSAGE_HEADER_PREFIX = "Erlmachine-Header-";
  /** Header of a reply delivered to the requesting gear: the transmission it came back on. */
  public static final String REPLY_FROM_HEADER = "reply-from";
  /** The error name of a single message's refusal when the target gear's mailbox is full. */
  public static final String MAILBOX_FULL = "MailboxFull";
  private static final Pattern HEADER_NAME = Pattern.compile("[A-Za-z0-9-]{1,64}");
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final int MAX_IN_FLIGHT = 16;
  /** Messages sent in one request at most (and about this many bytes); one in flight per batch. */
  private static final int MAX_BATCH = 64;
  private static final long MAX_BATCH_BYTES = 1 << 20;

  private final RuntimeServices services;
  private final HttpClient http;
  private final Function<GearId, GearCell> gears;
  private final BooleanSupplier machineEngaged;
  private final int peerPort;
  private final MovingTargets moving;
  private final CongestedTargets congested;
  private final Mailbox queue;
  private final Semaphore inFlight = new Semaphore(MAX_IN_FLIGHT);
  private final AtomicLong deliveries = new AtomicLong();
  private final AtomicInteger nextTarget = new AtomicInteger();
  private final AtomicLong delivered = new AtomicLong();
  private final AtomicLong retries = new AtomicLong();
  private final AtomicLong heldForMove = new AtomicLong();
  private final AtomicLong heldForFullMailbox = new AtomicLong();
  private final AtomicLong deadLettered = new AtomicLong();
  private volatile MachineConfig.RouteConfig route;
  private volatile boolean closed;

  public RouteOutlet(MachineConfig.RouteConfig route, int queueCapacity, RuntimeServices services, HttpClient http,
                     Function<GearId, GearCell> gears, BooleanSupplier machineEngaged, int peerPort, MovingTargets moving,
                     CongestedTargets congested) {
    this.route = route;
    this.moving = moving;
    this.congested = congested;
    this.services = services;
    this.http = http;
    this.gears = gears;
    this.machineEngaged = machineEngaged;
    this.peerPort = peerPort;
    this.queue = new Mailbox(queueCapacity);
  }

  /**
   * Counters of one transmission on this machine; {@code heldForMove} and {@code heldForFullMailbox} count, per message,
   * the attempts that found their target moving or its mailbox full and waited for it without using a retry.
   */
  public record Counters(long delivered, long retries, long deadLettered, int queued, long heldForMove, long heldForFullMailbox) {
  }

  public Counters counters() {
    return new Counters(delivered.get(), retries.get(), deadLettered.get(), queue.size(), heldForMove.get(),
        heldForFullMailbox.get());
  }

  /** Messages queued here, plus deliveries under way or waiting to be retried (one each, whatever their size). */
  public int unfinished() {
    return queue.size() + MAX_IN_FLIGHT - inFlight.availablePermits();
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
      MachineConfig.RouteConfig current = route;
      int limit = "RequestReply".equals(current.pattern()) ? 1 : MAX_BATCH;
      List<GearCell> wake = new ArrayList<>();
      List<Item> batch = new ArrayList<>();
      long bytes = 0;
      while (batch.size() < limit && bytes < MAX_BATCH_BYTES) {
        Message message = queue.poll(wake);
        if (message == null) {
          break;
        }
        bytes += message.size();
        batch.add(new Item(message, message.tracking() + "/" + current.transmission() + "/" + deliveries.incrementAndGet()));
      }
      wake.forEach(GearCell::wake);
      if (batch.isEmpty()) {
        inFlight.release();
        continue;
      }
      dispatch(batch, current);
    }
  }

  private boolean engaged() {
    return machineEngaged.getAsBoolean() && !"Disengaged".equals(route.clutch());
  }

  /** A message on its way, with the id that receivers use to drop a repeated delivery. */
  private record Item(Message message, String deliveryId) {
  }

  private void dispatch(List<Item> batch, MachineConfig.RouteConfig current) {
    Runnable finished = () -> {
      inFlight.release();
      pump();
    };
    if (current.targets().isEmpty()) {
      batch.forEach(item -> deadLetter(item.message(), "transmission " + current.transmission()
          + " has no target machine (none is selected yet)"));
      finished.run();
      return;
    }
    switch (current.pattern()) {
      case "PubSub" -> {
        AtomicInteger remaining = new AtomicInteger(current.targets().size());
        for (int i = 0; i < current.targets().size(); i++) {
          int target = i;
          List<Item> copies = batch.stream().map(item -> new Item(item.message(), item.deliveryId() + "/" + target)).toList();
          attempt(copies, current, target, 0, () -> {
            if (remaining.decrementAndGet() == 0) {
              finished.run();
            }
          });
        }
      }
      case "RequestReply" -> attemptRequest(batch.getFirst(), current, next(current), 0, finished);
      default -> attempt(batch, current, next(current), 0, finished);
    }
  }

  private int next(MachineConfig.RouteConfig current) {
    return Math.floorMod(nextTarget.getAndIncrement(), current.targets().size());
  }

  private MachineConfig.TargetConfig target(MachineConfig.RouteConfig current, int targetIndex, int retry) {
    boolean pubSub = "PubSub".equals(current.pattern());
    return current.targets().get(pubSub ? targetIndex % current.targets().size()
        : Math.floorMod(targetIndex + retry, current.targets().size()));
  }

  /**
   * Sends a batch to one target; the target answers how many of the batch (from the start) it
   * took. What it could not take (its mailbox filled up) or a failed attempt is tried again.
   */
  private void attempt(List<Item> batch, MachineConfig.RouteConfig current, int targetIndex, int retry, Runnable done) {
    MachineConfig.TargetConfig target = target(current, targetIndex, retry);
    http.sendAsync(batchRequest(batch, target, current), HttpResponse.BodyHandlers.ofString()).whenComplete((response, error) -> {
      int status = response == null ? 0 : response.statusCode();
      noteAnswer(target, response);
      int handled = error == null && status == 200 ? handled(response.body(), batch.size()) : 0;
      if (handled > 0) {
        congested.took(mailbox(target));
      }
      batch.subList(0, handled).forEach(item -> sent(item.message(), current, target, "delivered to " + target.machine() + "/"
          + target.gearbox() + "/" + target.gear()));
      List<Item> rest = batch.subList(handled, batch.size());
      if (rest.isEmpty()) {
        done.run();
        return;
      }
      List<Item> left = List.copyOf(rest);
      Runnable elsewhere = () -> attempt(left, route, nextTargetWhileWaiting(current, targetIndex), retry, done);
      boolean full = error == null && status == 200;
      if (holdForMove(left, target, elsewhere) || full && holdForFullMailbox(left, current, target, elsewhere)) {
        return;
      }
      String why = error != null ? describe(error) : full ? "the target's mailbox is full"
          : "HTTP " + status + " " + abbreviate(response.body());
      retryOrDeadLetter(left, current, target, retry + 1, why, next -> attempt(next, route, targetIndex, retry + 1, done), done);
    });
  }

  /** A RequestReply request: one message, whose reply comes back to the sending gear. */
  private void attemptRequest(Item item, MachineConfig.RouteConfig current, int targetIndex, int retry, Runnable done) {
    MachineConfig.TargetConfig target = target(current, targetIndex, retry);
    http.sendAsync(request(item.message(), item.deliveryId(), target, current, true), HttpResponse.BodyHandlers.ofString())
        .whenComplete((response, error) -> {
          int status = response == null ? 0 : response.statusCode();
          noteAnswer(target, response);
          if (error == null && (status == 200 || status == 202 || status == 409)) {
            congested.took(mailbox(target));
            sent(item.message(), current, target, status == 409 ? "delivered; dead-lettered at the target (gear stopped)"
                : "delivered to " + target.machine() + "/" + target.gearbox() + "/" + target.gear());
            if (status == 200) {
              deliverReply(item.message(), current, response.body());
            }
            done.run();
            return;
          }
          Runnable elsewhere = () -> attemptRequest(item, route, nextTargetWhileWaiting(current, targetIndex), retry, done);
          boolean full = error == null && status == 503 && MAILBOX_FULL.equals(errorName(response.body()));
          if (holdForMove(List.of(item), target, elsewhere) || full && holdForFullMailbox(List.of(item), current, target, elsewhere)) {
            return;
          }
          String why = error != null ? describe(error) : "HTTP " + status + " " + abbreviate(response.body());
          retryOrDeadLetter(List.of(item), current, target, retry + 1, why,
              next -> attemptRequest(item, route, targetIndex, retry + 1, done), done);
        });
  }

  private void noteAnswer(MachineConfig.TargetConfig target, HttpResponse<String> response) {
    if (response != null) {
      moving.answered(target.dnsName(), response.statusCode(), response.statusCode() == 503 ? errorName(response.body()) : null,
          response.headers());
    }
  }

  /**
   * A failed attempt at a target that is moving: tried again after the wait it asked for, without using a retry.
   * False when the target is not moving (or has taken longer than the patience), or this transmission was removed.
   */
  private boolean holdForMove(List<Item> items, MachineConfig.TargetConfig target, Runnable again) {
    long wait = moving.holdMillis(target.dnsName());
    if (wait < 0 || closed) {
      return false;
    }
    heldForMove.addAndGet(items.size());
    services.ticker().schedule(again, wait, TimeUnit.MILLISECONDS);
    return true;
  }

  /**
   * A refusal for a full mailbox, while the target keeps taking messages: tried again (at the next target, for Pipeline
   * and RequestReply) after a backoff, without using a retry. False once the target has taken nothing for longer than the
   * patience, or this transmission was removed.
   */
  private boolean holdForFullMailbox(List<Item> items, MachineConfig.RouteConfig current, MachineConfig.TargetConfig target,
                                     Runnable again) {
    MachineConfig.Delivery delivery = current.delivery();
    long wait = congested.refused(mailbox(target), delivery.initialBackoffMillis(), delivery.maxBackoffMillis());
    if (wait < 0 || closed) {
      return false;
    }
    heldForFullMailbox.addAndGet(items.size());
    services.ticker().schedule(again, wait, TimeUnit.MILLISECONDS);
    return true;
  }

  private static String mailbox(MachineConfig.TargetConfig target) {
    return target.dnsName() + "/" + target.gearbox() + "/" + target.gear();
  }

  /** While a target cannot take messages, Pipeline and RequestReply try their next target (if any); PubSub stays with each of its own. */
  private static int nextTargetWhileWaiting(MachineConfig.RouteConfig current, int targetIndex) {
    return "PubSub".equals(current.pattern()) ? targetIndex : targetIndex + 1;
  }

  private static String errorName(String body) {
    try {
      return JSON.readTree(body).path("error").asText(null);
    } catch (java.io.IOException e) {
      return null;
    }
  }

  private void retryOrDeadLetter(List<Item> rest, MachineConfig.RouteConfig current, MachineConfig.TargetConfig target, int attempts,
                                 String why, java.util.function.Consumer<List<Item>> again, Runnable done) {
    MachineConfig.Delivery delivery = current.delivery();
    if (attempts <= delivery.maxRetries() && !closed) {
      retries.addAndGet(rest.size());
      long wait = Backoff.millis(Math.max(0, attempts - 1), delivery.initialBackoffMillis(), delivery.maxBackoffMillis());
      services.ticker().schedule(() -> again.accept(rest), wait, TimeUnit.MILLISECONDS);
    } else {
      String moved = moving.overdue(target.dnsName()) ? "; it said it was shutting down, and no engine served it within "
          + moving.patience().toSeconds() + " s" : "";
      String congestion = congested.overdue(mailbox(target))
          ? "; its mailbox took nothing for " + congested.patience().toSeconds() + " s" : "";
      rest.forEach(item -> deadLetter(item.message(), "transmission " + current.transmission() + ": not delivered to "
          + target.machine() + " (" + target.dnsName() + ") after " + attempts + " attempts; last: " + why + moved + congestion));
      done.run();
    }
  }

  private void sent(Message message, MachineConfig.RouteConfig current, MachineConfig.TargetConfig target, String detail) {
    delivered.incrementAndGet();
    services.journal().record(message.tracking(), new Hop(services.machine(), current.gearbox(), current.gear(), Instant.now(),
        Hop.Outcome.SENT, 0, current.transmission() + ": " + detail, target.dnsName()));
  }

  private static int handled(String body, int size) {
    try {
      return Math.min(size, Math.max(0, JSON.readTree(body).path("handled").asInt()));
    } catch (java.io.IOException e) {
      return 0;
    }
  }

  private HttpRequest batchRequest(List<Item> batch, MachineConfig.TargetConfig target, MachineConfig.RouteConfig current) {
    StringBuilder json = new StringBuilder(batch.size() * 256).append("{\"messages\":[");
    for (int i = 0; i < batch.size(); i++) {
      Item item = batch.get(i);
      json.append(i == 0 ? "" : ",").append("{\"tracking\":").append(quote(item.message().tracking()))
          .append(",\"delivery\":").append(quote(item.deliveryId()))
          .append(",\"headers\":").append(headersJson(item.message().headers()))
          .append(",\"body\":").append(item.message().body()).append('}');
    }
    json.append("]}");
    String path = "/api/v1/gearboxes/" + encode(target.gearbox()) + "/gears/" + encode(target.gear()) + "/batches";
    return HttpRequest.newBuilder(URI.create("http://" + target.dnsName() + ":" + peerPort + path))
        .timeout(Duration.ofMillis(current.delivery().timeoutMillis()))
        .header("Content-Type", "application/json")
        .header(FROM_HEADER, services.machine())
        .POST(HttpRequest.BodyPublishers.ofString(json.toString()))
        .build();
  }

  private static String quote(String text) {
    try {
      return JSON.writeValueAsString(text);
    } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }

  private static String headersJson(Map<String, String> headers) {
    Map<String, String> outgoing = new java.util.TreeMap<>(headers);
    outgoing.keySet().removeIf(name -> name.startsWith("erlmachine-"));
    try {
      return JSON.writeValueAsString(outgoing);
    } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
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
