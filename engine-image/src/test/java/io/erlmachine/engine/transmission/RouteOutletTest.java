package io.erlmachine.engine.transmission;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpServer;
import io.erlmachine.api.config.MachineConfig;
import io.erlmachine.engine.runtime.DeadLetters;
import io.erlmachine.engine.runtime.Journal;
import io.erlmachine.engine.runtime.Message;
import io.erlmachine.engine.runtime.RuntimeServices;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.http.HttpClient;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * A transmission against targets over real HTTP whose answers are scripted: a target that answers 503 ShuttingDown, or
 * whose mailbox is full, is waited for without using up retries, for at most the patience; other failures use retries
 * as before.
 */
class RouteOutletTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private final ScheduledExecutorService ticker = Executors.newSingleThreadScheduledExecutor();
  private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(1)).build();
  private final DeadLetters deadLetters = new DeadLetters(100);
  private final RuntimeServices services = new RuntimeServices("source", null, ticker, null, new Journal(1000), deadLetters,
      null, null, null, null, null);
  private final List<ScriptedTarget> targets = new java.util.ArrayList<>();
  /** The peer port: every target listens on it, each at a loopback address of its own. */
  private final int port = freePort();
  private RouteOutlet outlet;

  @AfterEach
  void stop() {
    if (outlet != null) {
      outlet.close();
    }
    targets.forEach(ScriptedTarget::close);
    ticker.shutdownNow();
  }

  @Test
  void aTargetThatShutsDownIsWaitedForWithoutUsingARetry() throws IOException {
    ScriptedTarget target = target("127.0.77.1", "shutting-down", "shutting-down", "shutting-down", "ok");
    outlet = outlet("Pipeline", 0, Duration.ofSeconds(30), target);
    send(3);
    await().atMost(Duration.ofSeconds(10)).until(() -> outlet.counters().delivered() == 3);
    RouteOutlet.Counters counters = outlet.counters();
    assertThat(counters.deadLettered()).as("no retries at all, and yet nothing dead-lettered").isZero();
    assertThat(counters.retries()).isZero();
    assertThat(counters.heldForMove()).as("the messages of three refused requests").isBetween(3L, 9L);
    assertThat(target.received()).containsExactlyInAnyOrder("m1", "m2", "m3");
    assertThat(outlet.unfinished()).isZero();
  }

  @Test
  void connectionErrorsWhileTheTargetMovesAreWaitedForToo() throws Exception {
    ScriptedTarget old = target("127.0.77.1", "shutting-down");
    outlet = outlet("Pipeline", 0, Duration.ofSeconds(30), old);
    send(2);
    await().atMost(Duration.ofSeconds(10)).until(() -> outlet.counters().heldForMove() >= 2);
    old.close();
    long heldWhenItStopped = outlet.counters().heldForMove();
    await().atMost(Duration.ofSeconds(10)).until(() -> outlet.counters().heldForMove() >= heldWhenItStopped + 4);
    assertThat(outlet.counters().retries()).as("while nothing listens, attempts are held, not spent").isZero();
    assertThat(outlet.counters().deadLettered()).isZero();
    ScriptedTarget next = target("127.0.77.1", "ok");
    await().atMost(Duration.ofSeconds(10)).until(() -> outlet.counters().delivered() == 2);
    assertThat(outlet.counters().deadLettered()).isZero();
    assertThat(next.received()).containsExactlyInAnyOrder("m1", "m2");
  }

  @Test
  void aTargetThatShutsDownForLongerThanThePatienceIsDeadLetteredAfterItsRetries() throws IOException {
    ScriptedTarget target = target("127.0.77.1", "shutting-down");
    outlet = outlet("Pipeline", 2, Duration.ofSeconds(1), target);
    long sent = System.nanoTime();
    send(1);
    await().atMost(Duration.ofSeconds(10)).until(() -> outlet.counters().deadLettered() == 1);
    assertThat(Duration.ofNanos(System.nanoTime() - sent)).isGreaterThanOrEqualTo(Duration.ofSeconds(1));
    RouteOutlet.Counters counters = outlet.counters();
    assertThat(counters.heldForMove()).isPositive();
    assertThat(counters.retries()).as("after the patience, failures use the retries").isEqualTo(2);
    assertThat(counters.delivered()).isZero();
    String reason = deadLetters.recent().getFirst().reason();
    assertThat(reason).contains("after 3 attempts").contains("ShuttingDown")
        .contains("it said it was shutting down, and no engine served it within 1 s");
  }

  @Test
  void otherRefusalsUseTheRetriesAsBefore() throws IOException {
    ScriptedTarget target = target("127.0.77.1", "unavailable");
    outlet = outlet("Pipeline", 1, Duration.ofSeconds(30), target);
    send(1);
    await().atMost(Duration.ofSeconds(10)).until(() -> outlet.counters().deadLettered() == 1);
    assertThat(outlet.counters().heldForMove()).isZero();
    assertThat(outlet.counters().retries()).isEqualTo(1);
    assertThat(deadLetters.recent().getFirst().reason()).contains("HTTP 503").doesNotContain("said it was shutting down");
  }

  @Test
  void aFullMailboxIsWaitedForWithoutUsingARetry() throws IOException {
    ScriptedTarget target = target("127.0.77.1", "full", "full", "full", "full", "ok");
    outlet = outlet("Pipeline", 0, Duration.ofSeconds(30), target);
    send(3);
    await().atMost(Duration.ofSeconds(10)).until(() -> outlet.counters().delivered() == 3);
    RouteOutlet.Counters counters = outlet.counters();
    assertThat(counters.deadLettered()).as("no retries at all, and yet nothing dead-lettered").isZero();
    assertThat(counters.retries()).isZero();
    assertThat(counters.heldForFullMailbox()).as("the messages of four refused requests").isGreaterThanOrEqualTo(4L);
    assertThat(counters.heldForMove()).isZero();
    assertThat(target.received()).containsExactlyInAnyOrder("m1", "m2", "m3");
    assertThat(outlet.unfinished()).isZero();
  }

  @Test
  void aMailboxThatTakesNothingForLongerThanThePatienceUsesTheRetriesAndIsDeadLettered() throws IOException {
    ScriptedTarget target = target("127.0.77.1", "full");
    outlet = outlet("Pipeline", 2, Duration.ofSeconds(1), target);
    long sent = System.nanoTime();
    send(1);
    await().atMost(Duration.ofSeconds(10)).until(() -> outlet.counters().deadLettered() == 1);
    assertThat(Duration.ofNanos(System.nanoTime() - sent)).isGreaterThanOrEqualTo(Duration.ofSeconds(1));
    RouteOutlet.Counters counters = outlet.counters();
    assertThat(counters.heldForFullMailbox()).isPositive();
    assertThat(counters.retries()).as("after the patience, refusals use the retries").isEqualTo(2);
    assertThat(deadLetters.recent().getFirst().reason()).contains("after 3 attempts").contains("the target's mailbox is full")
        .contains("its mailbox took nothing for 1 s");
  }

  @Test
  void aPipelineTriesItsNextTargetWhileOneMoves() throws IOException {
    ScriptedTarget moving = target("127.0.77.1", "shutting-down");
    ScriptedTarget serving = target("127.0.77.2", "ok");
    outlet = outlet("Pipeline", 0, Duration.ofSeconds(30), moving, serving);
    send(4);
    await().atMost(Duration.ofSeconds(10)).until(() -> outlet.counters().delivered() == 4);
    assertThat(outlet.counters().deadLettered()).isZero();
    assertThat(serving.received()).containsExactlyInAnyOrder("m1", "m2", "m3", "m4");
    assertThat(moving.received()).isEmpty();
  }

  private ScriptedTarget target(String address, String... script) throws IOException {
    ScriptedTarget target = new ScriptedTarget(address, port, List.of(script));
    targets.add(target);
    return target;
  }

  private RouteOutlet outlet(String pattern, int maxRetries, Duration patience, ScriptedTarget... to) {
    List<MachineConfig.TargetConfig> targetConfigs = java.util.Arrays.stream(to)
        .map(t -> new MachineConfig.TargetConfig("target-" + t.address(), t.address(), "in", "store")).toList();
    MachineConfig.RouteConfig route = new MachineConfig.RouteConfig("to-store", pattern, "out", "emit", targetConfigs,
        new MachineConfig.Delivery(maxRetries, 10, 50, 2000, null, null), "Engaged");
    return new RouteOutlet(route, 100, services, http, id -> null, () -> true, port, new MovingTargets(patience),
        new CongestedTargets(patience));
  }

  private static int freePort() {
    try (java.net.ServerSocket socket = new java.net.ServerSocket(0)) {
      return socket.getLocalPort();
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  private void send(int count) {
    for (int i = 1; i <= count; i++) {
      assertThat(outlet.acceptFrom(new Message("t-" + i, "\"m" + i + "\"", Map.of()), null)).isTrue();
    }
  }

  /**
   * A target machine's batches endpoint at a loopback address: it answers each request with the next step of its script
   * (the last step repeats) and records the bodies of the messages it took.
   */
  private static final class ScriptedTarget implements AutoCloseable {
    private final HttpServer server;
    private final String address;
    private final List<String> script;
    private final AtomicInteger step = new AtomicInteger();
    private final ConcurrentLinkedQueue<String> received = new ConcurrentLinkedQueue<>();

    ScriptedTarget(String address, int port, List<String> script) throws IOException {
      this.script = script;
      this.address = address;
      server = HttpServer.create(new InetSocketAddress(InetAddress.getByName(address), port), 16);
      server.createContext("/", exchange -> {
        String what = script.get(Math.min(step.getAndIncrement(), script.size() - 1));
        try (InputStream body = exchange.getRequestBody()) {
          var messages = JSON.readTree(body).path("messages");
          String answer;
          int status;
          switch (what) {
            case "ok" -> {
              messages.forEach(m -> received.add(m.path("body").asText()));
              status = 200;
              answer = "{\"handled\":" + messages.size() + "}";
            }
            case "full" -> {
              status = 200;
              answer = "{\"handled\":0}";
            }
            case "shutting-down" -> {
              exchange.getResponseHeaders().add("Retry-After", "0");
              status = 503;
              answer = "{\"error\":\"ShuttingDown\",\"message\":\"this engine is shutting down\"}";
            }
            default -> {
              status = 503;
              answer = "{\"error\":\"Unavailable\",\"message\":\"scripted\"}";
            }
          }
          byte[] bytes = answer.getBytes(StandardCharsets.UTF_8);
          exchange.getResponseHeaders().add("Content-Type", "application/json");
          exchange.sendResponseHeaders(status, bytes.length);
          exchange.getResponseBody().write(bytes);
        } finally {
          exchange.close();
        }
      });
      server.start();
    }

    String address() {
      return address;
    }

    List<String> received() {
      return List.copyOf(received);
    }

    @Override
    public void close() {
      server.stop(0);
    }
  }
}
