package io.erlmachine.bench.density;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * Machine density of one engine host in local mode: for each fleet size, seconds until every
 * machine is ready, a message sent to every machine and counted there, then the host's RSS and
 * its heap after a full collection; beside them, in the same run, one machine alone in its
 * host (what a machine cost when every machine was its own engine process). Also the time a
 * warm host took to apply each machine's config (hardening and start of its gears included).
 *
 * <pre>DensityBench REPO OUTPUT.json SIZES...</pre>
 */
public final class DensityBench {
  /** Machines added one at a time to the largest fleet's host once it is warm. */
  private static final int WARM_ADDITIONS = 40;
  private static final String CODE = "export function receive(message) { return { seen: message.body.n, at: Date.now() }; }";

  public static void main(String[] args) throws Exception {
    Path repo = Path.of(args[0]);
    Path output = Path.of(args[1]);
    List<Integer> sizes = new ArrayList<>();
    for (int i = 2; i < args.length; i++) {
      sizes.add(Integer.parseInt(args[i]));
    }
    Path javaHome = Path.of(System.getProperty("java.home"));
    Map<String, Object> results = new LinkedHashMap<>();
    List<Map<String, Object>> runs = new ArrayList<>();
    for (int size : sizes) {
      Map<String, Object> run = measure(repo, javaHome, size, size == sizes.getLast() ? WARM_ADDITIONS : 0);
      System.out.println(run);
      runs.add(run);
    }
    results.put("runs", runs);
    results.put("cores", Runtime.getRuntime().availableProcessors());
    results.put("finishedAt", Instant.now().toString());
    Files.writeString(output, new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValueAsString(results));
  }

  private static Map<String, Object> measure(Path repo, Path javaHome, int machines, int warmAdditions) throws Exception {
    Path work = Files.createTempDirectory("erlmachine-density-");
    Map<String, Object> run = new LinkedHashMap<>();
    try (LocalFleet fleet = new LocalFleet(repo, work, LocalFleet.fleet(machines, CODE), 19080)) {
      double seconds = fleet.awaitReady(Duration.ofMinutes(10));
      long idleRss = fleet.rssBytes();
      long sendStart = System.nanoTime();
      sendOneToEach(fleet);
      int counted = awaitCounted(fleet);
      double trafficSeconds = (System.nanoTime() - sendStart) / 1e9;
      long rss = fleet.rssBytes();
      long heap = fleet.heapAfterGcBytes(javaHome);
      long rssAfterGc = fleet.rssBytes();
      JsonNode host = fleet.hostState();
      List<Long> took = new ArrayList<>();
      host.path("running").forEach(machine -> took.add(machine.path("lastReload").path("tookMicros").asLong()));
      took.sort(null);
      List<Long> warm = took.size() > 10 ? took.subList(0, took.size() - Math.max(10, took.size() / 10)) : took;
      run.put("machines", machines);
      run.put("readyMachines", host.path("ready").asInt());
      run.put("messagesCounted", counted);
      run.put("secondsToReady", seconds);
      run.put("secondsToReadyHostReported", fleet.hostReportedSeconds());
      run.put("secondsToSendAndCountOneMessageEach", trafficSeconds);
      run.put("rssIdleMiB", idleRss / 1048576.0);
      run.put("rssAfterTrafficMiB", rss / 1048576.0);
      run.put("rssAfterFullGcMiB", rssAfterGc / 1048576.0);
      run.put("heapAfterFullGcMiB", heap / 1048576.0);
      run.put("machinesPerGiB", machines / (rss / 1073741824.0));
      run.put("applyMicrosP50", percentile(took, 0.5));
      run.put("applyMicrosP90", percentile(took, 0.9));
      run.put("applyMicrosP50WithoutSlowestTenth", percentile(warm, 0.5));
      run.put("loadAverageAfterTraffic", loadAverage());
      if (warmAdditions > 0) {
        run.put("warmHost", addToWarmHost(fleet, warmAdditions));
      }
    }
    return run;
  }

  /**
   * Adds machines to the running host one at a time, each in a manifest file of its own, and reads
   * what the host says its start took (config accepted to ready: validation, gears, listener;
   * self-tests too, had the gearbox any); then its first message, sent and counted, which is where
   * a machine whose code the host has instantiated before builds its JavaScript context.
   */
  private static Map<String, Object> addToWarmHost(LocalFleet fleet, int count) throws Exception {
    List<Long> took = new ArrayList<>();
    List<Long> firstMessageMicros = new ArrayList<>();
    double loadBefore = loadAverage();
    for (int i = 1; i <= count; i++) {
      String name = String.format("w-%05d", i);
      fleet.addMachine(name);
      JsonNode entry = awaitRunning(fleet, name);
      took.add(entry.path("lastReload").path("tookMicros").asLong());
      String key = entry.path("namespace").asText() + "/" + name;
      while (!fleet.urls.containsKey(key)) {
        Thread.sleep(5);
      }
      long sent = System.nanoTime();
      if (fleet.post(key, "fleet", "in", "{\"n\": " + i + "}") != 202) {
        throw new IllegalStateException(key + " refused its first message");
      }
      while (fleet.get(key, "/api/v1/gearboxes/fleet/gears/count/state").path("count").asLong() != 1) {
        Thread.sleep(1);
      }
      firstMessageMicros.add((System.nanoTime() - sent) / 1000);
    }
    List<Long> sortedTook = took.stream().sorted().toList();
    List<Long> sortedFirst = firstMessageMicros.stream().sorted().toList();
    Map<String, Object> result = new LinkedHashMap<>();
    result.put("machinesAdded", count);
    result.put("loadAverageBefore", loadBefore);
    result.put("loadAverageAfter", loadAverage());
    result.put("configToReadyMicrosP50", percentile(sortedTook, 0.5));
    result.put("configToReadyMicrosP99", percentile(sortedTook, 0.99));
    result.put("configToReadyMicros", took);
    result.put("firstMessageSentToCountedMicrosP50", percentile(sortedFirst, 0.5));
    result.put("firstMessageSentToCountedMicrosP99", percentile(sortedFirst, 0.99));
    return result;
  }

  private static JsonNode awaitRunning(LocalFleet fleet, String name) throws Exception {
    long deadline = System.nanoTime() + Duration.ofMinutes(1).toNanos();
    while (System.nanoTime() < deadline) {
      for (JsonNode entry : fleet.hostState().path("running")) {
        if (name.equals(entry.path("name").asText()) && entry.path("ready").asBoolean()) {
          return entry;
        }
      }
      Thread.sleep(20);
    }
    throw new IllegalStateException("machine " + name + " did not start on the warm host");
  }

  private static double loadAverage() {
    return java.lang.management.ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage();
  }

  private static void sendOneToEach(LocalFleet fleet) throws Exception {
    ExecutorService senders = Executors.newFixedThreadPool(8);
    try {
      List<Future<Integer>> sent = new ArrayList<>();
      int n = 0;
      for (String machine : fleet.machines()) {
        String body = "{\"n\": " + (n++) + "}";
        sent.add(senders.submit(() -> fleet.post(machine, "fleet", "in", body)));
      }
      for (Future<Integer> status : sent) {
        if (status.get() != 202) {
          throw new IllegalStateException("a machine refused its message: " + status.get());
        }
      }
    } finally {
      senders.shutdown();
    }
  }

  /**
   * Waits until every machine counted its message or dead-lettered it (a message the watchdog
   * stopped is an outcome to report, not to wait for); the number counted.
   */
  private static int awaitCounted(LocalFleet fleet) throws Exception {
    // One deadline for all: a machine builds its JavaScript context at its first message, so the
    // last of a thousand messages sent at once waits for the contexts of the others.
    long deadline = System.nanoTime() + Duration.ofMinutes(20).toNanos();
    int counted = 0;
    for (String machine : fleet.machines()) {
      while (true) {
        if (fleet.get(machine, "/api/v1/gearboxes/fleet/gears/count/state").path("count").asLong() == 1) {
          counted++;
          break;
        }
        if (fleet.get(machine, "/api/v1/dead-letters").path("total").asLong() > 0) {
          break;
        }
        if (System.nanoTime() > deadline) {
          throw new IllegalStateException(machine + " did not count its message");
        }
        Thread.sleep(20);
      }
    }
    return counted;
  }


  static long percentile(List<Long> sorted, double q) {
    if (sorted.isEmpty()) {
      return 0;
    }
    return sorted.get(Math.min(sorted.size() - 1, (int) Math.floor(q * sorted.size())));
  }
}
