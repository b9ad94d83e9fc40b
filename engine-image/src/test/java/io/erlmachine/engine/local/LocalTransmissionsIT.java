package io.erlmachine.engine.local;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/** The three transmission patterns between four machines in local mode (deploy/examples/patterns), over real HTTP. */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
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
  void aLedgerUnreachableDuringAStreamLosesNothing() throws Exception {
    JsonNode before = fanout();
    long sentBefore = before.path("delivered").asLong() + before.path("deadLettered").asLong();
    long healthyBefore = local.processed("default/ledger-a", "ledger", "store");
    Path ledgerB = local.hostConfig("default/ledger-b");
    String config = Files.readString(ledgerB);
    int messages = 150;
    for (int i = 0; i < messages; i++) {
      if (i == 30) {
        // As if ledger-b's host were gone: nothing answers at its address until it comes back.
        replace(ledgerB, config.replace("port: 18290", "port: 18291"));
      }
      if (i == 100) {
        replace(ledgerB, config);
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
    assertThat(fanout().path("retries").asLong()).as("deliveries to the unreachable ledger were retried").isPositive();
    await().atMost(PATIENCE).until(() -> local.get("default/ledger-b", "/api/v1/machine").path("ready").asBoolean());
  }

  @Test
  @Order(Integer.MAX_VALUE)
  void aKilledHostIsStartedAgainWithEveryMachineAtItsAddress() throws Exception {
    long serial = local.get("default/ledger-a", "/api/v1/machine").path("serial").asLong();
    local.host().destroyForcibly();
    await().atMost(Duration.ofMinutes(1)).pollInterval(Duration.ofMillis(500))
        .until(() -> local.output.stream().anyMatch(line -> line.contains("the engine host exited") && line.contains("restarting it")));
    await().atMost(Duration.ofMinutes(4)).pollInterval(Duration.ofMillis(500)).ignoreExceptions()
        .until(() -> local.get("default/ledger-a", "/api/v1/machine").path("ready").asBoolean()
            && local.get("default/client", "/api/v1/machine").path("ready").asBoolean());
    assertThat(local.get("default/ledger-a", "/api/v1/machine").path("serial").asLong()).isEqualTo(serial);
  }

  private static void replace(Path file, String content) throws Exception {
    Path temporary = file.resolveSibling(file.getFileName() + ".new");
    Files.writeString(temporary, content);
    Files.move(temporary, file, java.nio.file.StandardCopyOption.REPLACE_EXISTING, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
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
