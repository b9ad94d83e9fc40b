package io.erlmachine.engine.host.cluster;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.IntStream;

/**
 * Clients that send numbered messages to one gear, as fast as the machine answers or with a pause after each, and
 * remember which numbers were accepted (202) and why the others were not: 503 with its reason, or no answer at all.
 */
final class SteadySenders implements AutoCloseable {
  private static final com.fasterxml.jackson.databind.ObjectMapper JSON = new com.fasterxml.jackson.databind.ObjectMapper();
  private static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
      .connectTimeout(Duration.ofSeconds(2)).build();
  private final URI target;
  private final AtomicLong next = new AtomicLong();
  private final Set<Long> accepted = ConcurrentHashMap.newKeySet();
  private final Map<String, AtomicLong> refused = new ConcurrentHashMap<>();
  private final List<Thread> threads;
  private final Duration pause;
  private volatile boolean running = true;

  SteadySenders(String url, int count) {
    this(url, count, Duration.ZERO);
  }

  SteadySenders(String url, int count, Duration pause) {
    this.target = URI.create(url);
    this.pause = pause;
    threads = IntStream.range(0, count).mapToObj(i -> Thread.ofPlatform().daemon().name("sender-" + i).start(this::send)).toList();
  }

  private void send() {
    while (running) {
      long n = next.incrementAndGet();
      HttpRequest request = HttpRequest.newBuilder(target).timeout(Duration.ofSeconds(5)).header("Content-Type", "application/json")
          .POST(HttpRequest.BodyPublishers.ofString("{\"n\": " + n + "}")).build();
      try {
        HttpResponse<String> response = HTTP.send(request, HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() == 202) {
          accepted.add(n);
          if (!pause.isZero()) {
            Thread.sleep(pause);
          }
        } else {
          refused.computeIfAbsent(response.statusCode() + " " + reason(response.body()), k -> new AtomicLong()).incrementAndGet();
        }
      } catch (IOException e) {
        refused.computeIfAbsent("no answer", k -> new AtomicLong()).incrementAndGet();
        pause();
      } catch (InterruptedException e) {
        return;
      }
    }
  }

  /** The error name of the engine's error body, such as MailboxFull or ShuttingDown. */
  private static String reason(String body) {
    try {
      return JSON.readTree(body).path("error").asText();
    } catch (IOException e) {
      return "";
    }
  }

  private static void pause() {
    try {
      Thread.sleep(20);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /** The numbers answered 202 so far. */
  Set<Long> accepted() {
    return Set.copyOf(accepted);
  }

  /** How many were not accepted, by status and reason ("no answer" when nothing answered). */
  Map<String, Long> refused() {
    Map<String, Long> counts = new java.util.TreeMap<>();
    refused.forEach((why, count) -> counts.put(why, count.get()));
    return counts;
  }

  @Override
  public void close() throws InterruptedException {
    running = false;
    for (Thread thread : threads) {
      thread.join(Duration.ofSeconds(10));
    }
  }
}
