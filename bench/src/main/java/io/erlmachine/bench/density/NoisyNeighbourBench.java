package io.erlmachine.bench.density;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A healthy machine at a fixed offered rate (request-reply through its JavaScript gear, latency
 * taken from the moment each request was due, so a stall is not hidden), first alone, then with
 * an abusive machine on the same host whose every message spins until the message timeout stops
 * it and floods the log.
 *
 * <pre>NoisyNeighbourBench REPO OUTPUT.json RATE SECONDS</pre>
 */
public final class NoisyNeighbourBench {
  private static final String CODE = """
      export function receive(message, gear) {
        if (message.body.abuse) { for (;;) { gear.log.info('flood ' + Math.random()); } }
        return { n: message.body.n };
      }
      """;

  public static void main(String[] args) throws Exception {
    Path repo = Path.of(args[0]);
    Path output = Path.of(args[1]);
    int rate = Integer.parseInt(args[2]);
    int seconds = Integer.parseInt(args[3]);
    Path work = Files.createTempDirectory("erlmachine-noisy-");
    Map<String, Object> results = new LinkedHashMap<>();
    try (LocalFleet fleet = new LocalFleet(repo, work, LocalFleet.fleet(2, CODE), 19180)) {
      fleet.awaitReady(Duration.ofMinutes(5));
      String calm = fleet.machines().get(0);
      String noisy = fleet.machines().get(1);
      offer(fleet, calm, rate, Math.max(10, seconds / 2));
      results.put("calmAlone", summary(offer(fleet, calm, rate, seconds)));
      AtomicBoolean abusing = new AtomicBoolean(true);
      AtomicLong abusive = new AtomicLong();
      Thread abuser = Thread.ofPlatform().daemon().start(() -> {
        while (abusing.get()) {
          try {
            fleet.post(noisy, "fleet", "in", "{\"abuse\": true}");
            abusive.incrementAndGet();
            Thread.sleep(50);
          } catch (Exception e) {
            return;
          }
        }
      });
      results.put("calmBesideAbuser", summary(offer(fleet, calm, rate, seconds)));
      abusing.set(false);
      abuser.join();
      results.put("abusiveMessagesSent", abusive.get());
      results.put("abuserDeadLetters", fleet.get(noisy, "/api/v1/dead-letters?limit=0").path("total").asLong());
      results.put("calmDeadLetters", fleet.get(calm, "/api/v1/dead-letters?limit=0").path("total").asLong());
    }
    results.put("offeredRatePerSecond", rate);
    results.put("secondsPerPhase", seconds);
    results.put("finishedAt", Instant.now().toString());
    System.out.println(results);
    Files.writeString(output, new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValueAsString(results));
  }

  /** Sends at a fixed rate without waiting for answers; each latency counts from when its request was due. */
  private static List<Long> offer(LocalFleet fleet, String machine, int rate, int seconds) throws Exception {
    URI uri = URI.create(fleet.urls.get(machine) + "/api/v1/gearboxes/fleet/gears/step/messages?reply=true");
    long interval = 1_000_000_000L / rate;
    long start = System.nanoTime();
    List<CompletableFuture<Long>> answers = new ArrayList<>();
    for (int i = 0; i < rate * seconds; i++) {
      long due = start + i * interval;
      long wait = due - System.nanoTime();
      if (wait > 0) {
        Thread.sleep(wait / 1_000_000, (int) (wait % 1_000_000));
      }
      HttpRequest request = HttpRequest.newBuilder(uri).header("Content-Type", "application/json")
          .header("Erlmachine-Delivery", "bench-" + due).timeout(Duration.ofSeconds(30))
          .POST(HttpRequest.BodyPublishers.ofString("{\"n\": " + i + "}")).build();
      answers.add(LocalFleet.HTTP.sendAsync(request, HttpResponse.BodyHandlers.discarding())
          .thenApply(response -> response.statusCode() == 200 ? (System.nanoTime() - due) / 1000 : -1L));
    }
    List<Long> latencies = new ArrayList<>();
    for (CompletableFuture<Long> answer : answers) {
      latencies.add(answer.join());
    }
    return latencies;
  }

  private static Map<String, Object> summary(List<Long> micros) {
    long failed = micros.stream().filter(m -> m < 0).count();
    List<Long> ok = new ArrayList<>(micros.stream().filter(m -> m >= 0).toList());
    Collections.sort(ok);
    Map<String, Object> summary = new LinkedHashMap<>();
    summary.put("requests", micros.size());
    summary.put("failed", failed);
    summary.put("p50Millis", DensityBench.percentile(ok, 0.5) / 1000.0);
    summary.put("p99Millis", DensityBench.percentile(ok, 0.99) / 1000.0);
    summary.put("maxMillis", ok.isEmpty() ? 0 : ok.getLast() / 1000.0);
    return summary;
  }
}
