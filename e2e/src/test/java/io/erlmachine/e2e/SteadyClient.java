package io.erlmachine.e2e;

import java.time.Duration;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A client that sends numbered messages ({"id": n}) to one gear through a machine's Service, one at a time with a pause
 * between them, and remembers which numbers the machine accepted (202) and how many it did not, by answer.
 */
final class SteadyClient implements AutoCloseable {
  private final MachineHttp machine;
  private final String path;
  private final Duration pause;
  private final AtomicLong next = new AtomicLong();
  private final Set<Long> accepted = ConcurrentHashMap.newKeySet();
  private final Map<String, AtomicLong> refused = new ConcurrentHashMap<>();
  private final Thread thread;
  private volatile boolean running = true;

  SteadyClient(MachineHttp machine, String path, Duration pause) {
    this.machine = machine;
    this.path = path;
    this.pause = pause;
    this.thread = Thread.ofPlatform().daemon().name("steady-client").start(this::send);
  }

  private void send() {
    while (running) {
      long id = next.incrementAndGet();
      String outcome;
      try {
        int status = machine.post(path, "{\"id\": " + id + "}");
        outcome = status == 202 ? null : "HTTP " + status;
      } catch (MachineHttp.UncheckedHttpException e) {
        outcome = "no answer";
      }
      if (outcome == null) {
        accepted.add(id);
      } else {
        refused.computeIfAbsent(outcome, k -> new AtomicLong()).incrementAndGet();
      }
      try {
        Thread.sleep(outcome == null ? pause : pause.multipliedBy(5));
      } catch (InterruptedException e) {
        return;
      }
    }
  }

  Set<Long> accepted() {
    return Set.copyOf(accepted);
  }

  /** Messages not accepted, by answer ("no answer" when the connection failed). */
  Map<String, Long> refused() {
    Map<String, Long> counts = new TreeMap<>();
    refused.forEach((why, count) -> counts.put(why, count.get()));
    return counts;
  }

  @Override
  public void close() throws InterruptedException {
    running = false;
    thread.join(Duration.ofSeconds(30));
  }
}
