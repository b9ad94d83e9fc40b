package io.erlmachine.engine.local;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The three transmission patterns between four machines in local mode (deploy/examples/patterns), over real HTTP. */
class LocalTransmissionsIT {
  private static final Duration PATIENCE = Duration.ofSeconds(60);
  private static LocalModeProcess local;

  @BeforeAll
  static void start() throws Exception {
    local = new LocalModeProcess("patterns", 18290, 4);
  }

  @AfterAll
  static void stop() throws Exception {
    if (local != null) {
      local.close();
    }
  }

  @Test
  void pubSubGivesEveryLedgerEveryMessage() throws Exception {
    long a = local.processed("default/ledger-a", "ledger", "store");
    long b = local.processed("default/ledger-b", "ledger", "store");
    for (int i = 0; i < 10; i++) {
      local.post("default/client", "/api/v1/gearboxes/client/gears/publish/messages", "{\"n\": " + i + "}");
    }
    await().atMost(PATIENCE).until(() -> local.processed("default/ledger-a", "ledger", "store") == a + 10
        && local.processed("default/ledger-b", "ledger", "store") == b + 10);
  }

  @Test
  void pipelineBalancesMessagesOverTheLedgers() throws Exception {
    long a = local.processed("default/ledger-a", "ledger", "worked");
    long b = local.processed("default/ledger-b", "ledger", "worked");
    for (int i = 0; i < 10; i++) {
      local.post("default/client", "/api/v1/gearboxes/client/gears/work/messages", "{\"n\": " + i + "}");
    }
    await().atMost(PATIENCE).until(() -> local.processed("default/ledger-a", "ledger", "worked") - a
        + local.processed("default/ledger-b", "ledger", "worked") - b == 10);
    assertThat(local.processed("default/ledger-a", "ledger", "worked")).isGreaterThan(a);
    assertThat(local.processed("default/ledger-b", "ledger", "worked")).isGreaterThan(b);
  }

  @Test
  void requestReplyReturnsTheAnswerAndTheTrackCrossesMachines() throws Exception {
    long answers = local.processed("default/client", "client", "answers");
    String tracking = local.post("default/client", "/api/v1/gearboxes/client/gears/ask/messages", "{\"sku\": \"abcd\"}")
        .path("tracking").asText();
    await().atMost(PATIENCE).until(() -> local.processed("default/client", "client", "answers") == answers + 1);

    JsonNode track = local.get("default/client", "/api/v1/tracks/" + tracking + "?follow=true");
    List<String> steps = new ArrayList<>();
    track.path("hops").forEach(hop -> steps.add(hop.path("machine").asText() + "/" + hop.path("gear").asText() + ":" + hop.path("outcome").asText()));
    assertThat(steps).contains("client/ask:RECEIVED", "prices/quote:PROCESSED", "client/ask:SENT", "client/ask:REPLIED",
        "client/answers:PROCESSED");
    assertThat(steps.indexOf("prices/quote:PROCESSED")).isLessThan(steps.indexOf("client/answers:PROCESSED"));
  }

  @Test
  void aLedgerKilledDuringAStreamLosesNothing() throws Exception {
    JsonNode before = fanout();
    long sentBefore = before.path("delivered").asLong() + before.path("deadLettered").asLong();
    long healthyBefore = local.processed("default/ledger-a", "ledger", "store");
    int messages = 150;
    for (int i = 0; i < messages; i++) {
      if (i == 30) {
        local.engineOf("default/ledger-b").destroyForcibly();
      }
      local.post("default/client", "/api/v1/gearboxes/client/gears/publish/messages", "{\"stream\": " + i + "}");
      Thread.sleep(20);
    }

    // Every message the client accepted reaches both ledgers or is dead-lettered with a reason: none is lost.
    await().atMost(Duration.ofMinutes(2)).pollInterval(Duration.ofMillis(500)).until(() -> {
      JsonNode now = fanout();
      return now.path("queued").asInt() == 0
          && now.path("delivered").asLong() + now.path("deadLettered").asLong() - sentBefore == 2L * messages;
    });
    assertThat(local.processed("default/ledger-a", "ledger", "store")).isEqualTo(healthyBefore + messages);
    assertThat(fanout().path("retries").asLong()).as("deliveries to the killed ledger were retried").isPositive();
    assertThat(local.output).anySatisfy(line -> assertThat(line).contains("default/ledger-b exited").contains("restarting it"));
    await().atMost(PATIENCE).until(() -> local.get("default/ledger-b", "/api/v1/machine").path("ready").asBoolean());
  }

  private static JsonNode fanout() throws Exception {
    for (JsonNode transmission : local.get("default/client", "/api/v1/transmissions")) {
      if ("fanout".equals(transmission.path("name").asText())) {
        return transmission.path("counters");
      }
    }
    throw new AssertionError("the client has no fanout transmission");
  }
}
