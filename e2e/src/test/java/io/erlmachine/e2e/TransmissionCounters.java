package io.erlmachine.e2e;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The counters of one transmission of a machine, read every second while its engine may restart. Counters live in the
 * engine's memory and start from zero in the next engine, so a value lower than the last one read means a new engine:
 * what the previous one had counted is added up. What an engine counted after the last read before it stopped is
 * missing, so the sums are lower bounds.
 */
final class TransmissionCounters implements AutoCloseable {
  private static final List<String> COUNTERS = List.of("delivered", "retries", "deadLettered", "heldForMove");
  private final MachineHttp machine;
  private final String transmission;
  private final Map<String, Long> earlierEngines = new TreeMap<>();
  private final Map<String, Long> current = new TreeMap<>();
  private final Thread thread;
  private volatile boolean running = true;
  private int engines = 1;

  TransmissionCounters(MachineHttp machine, String transmission) {
    this.machine = machine;
    this.transmission = transmission;
    COUNTERS.forEach(name -> {
      earlierEngines.put(name, 0L);
      current.put(name, 0L);
    });
    this.thread = Thread.ofPlatform().daemon().name("counters-" + transmission).start(this::sample);
  }

  private void sample() {
    while (running) {
      try {
        read();
      } catch (RuntimeException | AssertionError notAnswering) {
        // the engine is stopped or not routed yet
      }
      try {
        Thread.sleep(Duration.ofSeconds(1));
      } catch (InterruptedException e) {
        return;
      }
    }
  }

  /** Reads the counters once; fails when the machine does not answer. */
  synchronized void read() {
    JsonNode counters = null;
    for (JsonNode entry : machine.get("/api/v1/transmissions")) {
      if (transmission.equals(entry.path("name").asText())) {
        counters = entry.path("counters");
      }
    }
    if (counters == null) {
      throw new AssertionError("no transmission " + transmission);
    }
    JsonNode read = counters;
    boolean restarted = COUNTERS.stream().anyMatch(name -> read.path(name).asLong() < current.get(name));
    if (restarted) {
      COUNTERS.forEach(name -> earlierEngines.merge(name, current.get(name), Long::sum));
      engines++;
    }
    COUNTERS.forEach(name -> current.put(name, read.path(name).asLong()));
  }

  /** Each counter summed over the engines seen, and how many engines that was. */
  synchronized Map<String, Long> totals() {
    Map<String, Long> totals = new TreeMap<>();
    COUNTERS.forEach(name -> totals.put(name, earlierEngines.get(name) + current.get(name)));
    totals.put("engines", (long) engines);
    return totals;
  }

  @Override
  public void close() throws InterruptedException {
    running = false;
    thread.interrupt();
    thread.join(Duration.ofSeconds(10));
  }
}
