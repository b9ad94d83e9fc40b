package io.erlmachine.engine.local;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** Each one-pattern example (deploy/examples/pubsub, pipeline, request-reply) does in local mode what its comments say. */
class LocalExamplesIT {
  private static final Duration PATIENCE = Duration.ofSeconds(60);

  @Test
  void pubSubGivesEveryReaderEveryStory() throws Exception {
    try (LocalModeProcess local = new LocalModeProcess("pubsub", 18310, 3)) {
      for (int i = 0; i < 5; i++) {
        local.post("default/newsroom", "/api/v1/gearboxes/desk/gears/publish/messages", "{\"headline\": \"story " + i + "\"}");
      }
      await().atMost(PATIENCE).until(() -> local.processed("default/reader-1", "reading", "read") == 5
          && local.processed("default/reader-2", "reading", "read") == 5);
    }
  }

  @Test
  void pipelineSharesTheJobsBetweenTheWorkers() throws Exception {
    try (LocalModeProcess local = new LocalModeProcess("pipeline", 18320, 3)) {
      for (int n = 1; n <= 20; n++) {
        local.post("default/dispatcher", "/api/v1/gearboxes/dispatch/gears/jobs/messages", "{\"n\": " + n + "}");
      }
      await().atMost(PATIENCE).until(() -> local.processed("default/worker-1", "work", "done")
          + local.processed("default/worker-2", "work", "done") == 20);
      assertThat(local.processed("default/worker-1", "work", "done")).isPositive();
      assertThat(local.processed("default/worker-2", "work", "done")).isPositive();
    }
  }

  @Test
  void requestReplyBringsThePriceBackToTheShop() throws Exception {
    try (LocalModeProcess local = new LocalModeProcess("request-reply", 18330, 2)) {
      String tracking = local.post("default/shop", "/api/v1/gearboxes/shop/gears/ask/messages", "{\"sku\": \"tea\"}")
          .path("tracking").asText();
      await().atMost(PATIENCE).until(() -> local.processed("default/shop", "shop", "quotes") == 1);
      JsonNode quote = local.get("default/shop", "/api/v1/gearboxes/shop/gears/quotes/state").findValue("quotes").get(0);
      assertThat(quote.path("sku").asText()).isEqualTo("tea");
      assertThat(quote.path("price").asDouble()).isEqualTo(4.5);

      JsonNode track = local.get("default/shop", "/api/v1/tracks/" + tracking + "?follow=true");
      assertThat(track.path("hops").findValuesAsText("machine")).contains("shop", "catalog");
    }
  }
}
