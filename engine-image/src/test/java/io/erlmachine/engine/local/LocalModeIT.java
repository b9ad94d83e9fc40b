package io.erlmachine.engine.local;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The README's local mode: ./erlmachine local on the orders example, over real HTTP on loopback addresses. */
class LocalModeIT {
  private static LocalModeProcess local;

  @BeforeAll
  static void startLocalMode() throws IOException {
    local = new LocalModeProcess("orders", 18190, 4);
  }

  @AfterAll
  static void stop() throws InterruptedException {
    if (local != null) {
      local.close();
    }
  }

  @Test
  void everyMachineRunsWithASerialAndItsDnsName() throws Exception {
    assertThat(local.serials).containsOnlyKeys("default/archive", "default/catalog", "default/gateway", "default/validator-1");
    assertThat(local.serials.values()).doesNotHaveDuplicates();
    JsonNode gateway = local.get("default/gateway", "/api/v1/machine");
    assertThat(gateway.path("dnsName").asText()).isEqualTo("gateway.default.svc.cluster.local");
    assertThat(gateway.path("serial").asLong()).isEqualTo(local.serials.get("default/gateway"));
    assertThat(gateway.path("compiler").path("active").asBoolean()).isTrue();
    await().atMost(Duration.ofSeconds(30)).until(() -> local.get("default/gateway", "/api/v1/machine").path("ready").asBoolean());
  }

  @Test
  void anOrderFlowsFromTheGatewayThroughValidationAndPricingToTheArchive() throws Exception {
    String tracking = local.post("default/gateway", "/api/v1/gearboxes/intake/gears/orders/messages", "{\"id\": 7, \"total\": 12.5, \"country\": \"DE\"}")
        .path("tracking").asText();
    assertThat(tracking).startsWith(local.serials.get("default/gateway") + "-");
    List<String> machines = new java.util.concurrent.CopyOnWriteArrayList<>();
    await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
      machines.clear();
      local.get("default/gateway", "/api/v1/tracks/" + tracking + "?follow=true").path("hops")
          .forEach(hop -> machines.add(hop.path("machine").asText() + "/" + hop.path("gear").asText() + ":" + hop.path("outcome").asText()));
      assertThat(machines).contains("gateway/stamp:SENT", "validator-1/check:PROCESSED", "catalog/price:PROCESSED",
          "validator-1/enrich:REPLIED", "archive/store:PROCESSED");
    });
    assertThat(machines.indexOf("validator-1/check:PROCESSED")).isLessThan(machines.indexOf("catalog/price:PROCESSED"));
    assertThat(machines.indexOf("catalog/price:PROCESSED")).isLessThan(machines.indexOf("archive/store:PROCESSED"));
  }

  @Test
  void theValidatorFiltersOutInvalidOrders() throws Exception {
    long before = accepted();
    long filtered = local.processed("default/validator-1", "validation", "valid-only");
    local.post("default/validator-1", "/api/v1/gearboxes/validation/gears/check/messages", "{\"id\": 1, \"total\": -5}");
    local.post("default/validator-1", "/api/v1/gearboxes/validation/gears/check/messages", "{\"id\": 2, \"total\": 50}");
    await().atMost(Duration.ofSeconds(30)).until(() -> local.processed("default/validator-1", "validation", "valid-only") >= filtered + 2);
    await().atMost(Duration.ofSeconds(10)).until(() -> accepted() == before + 1);
  }

  @Test
  void editingAManifestReloadsTheEngineWithoutRestartingIt() throws Exception {
    Path gearboxes = local.manifests.resolve("gearboxes.yaml");
    String original = Files.readString(gearboxes);
    long serial = local.get("default/validator-1", "/api/v1/machine").path("serial").asLong();
    rewriteAndAwaitReload(gearboxes, original.replace("export const maxTotal = 10000;", "export const maxTotal = 10;"));
    try {
      JsonNode result = local.get("default/validator-1", "/api/v1/machine").path("lastReload").path("result");
      assertThat(result.path("updated").asInt()).as("the gearbox's three gears with code, which may import the changed tool").isEqualTo(3);
      assertThat(result.path("unchanged").asInt()).as("the counter keeps its state").isEqualTo(1);
      long before = accepted();
      long filtered = local.processed("default/validator-1", "validation", "valid-only");
      local.post("default/validator-1", "/api/v1/gearboxes/validation/gears/check/messages", "{\"id\": 3, \"total\": 50}");
      await().atMost(Duration.ofSeconds(10)).until(() -> local.processed("default/validator-1", "validation", "valid-only") > filtered);
      Thread.sleep(500);
      assertThat(accepted()).as("50 is above the reloaded maxTotal of 10").isEqualTo(before);
      assertThat(local.get("default/validator-1", "/api/v1/machine").path("serial").asLong()).isEqualTo(serial);
    } finally {
      rewriteAndAwaitReload(gearboxes, original);
    }
  }

  private static void rewriteAndAwaitReload(Path file, String content) throws Exception {
    String before = local.get("default/validator-1", "/api/v1/machine").path("lastReload").path("at").asText();
    Files.writeString(file, content);
    await().atMost(Duration.ofSeconds(30)).until(() ->
        !local.get("default/validator-1", "/api/v1/machine").path("lastReload").path("at").asText().equals(before));
  }

  private static long accepted() throws Exception {
    return local.get("default/validator-1", "/api/v1/gearboxes/validation/gears/accepted/state").path("count").asLong();
  }
}
