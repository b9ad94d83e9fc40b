package io.erlmachine.engine.machine;

import io.erlmachine.engine.runtime.Watchdog;
import java.net.http.HttpClient;
import java.time.Duration;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * What every machine of an engine host shares: the threads that run gears and timers, the
 * watchdog and the HTTP client for transmissions. A machine costs no thread of its own, the
 * way an Erlang process costs no scheduler.
 */
public final class HostResources implements AutoCloseable {
  private final ExecutorService workers;
  private final ScheduledExecutorService ticker;
  private final Watchdog watchdog = new Watchdog();
  private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
      .connectTimeout(Duration.ofSeconds(2)).build();

  private final HostBudgets budgets;

  public HostResources(int workerThreads, HostBudgets.Totals budgets) {
    this.budgets = new HostBudgets(budgets);
    this.workers = Executors.newFixedThreadPool(workerThreads, daemon("erlmachine-gear-"));
    this.ticker = Executors.newSingleThreadScheduledExecutor(daemon("erlmachine-timer-"));
  }

  public ExecutorService workers() {
    return workers;
  }

  public ScheduledExecutorService ticker() {
    return ticker;
  }

  public HostBudgets budgets() {
    return budgets;
  }

  public Watchdog watchdog() {
    return watchdog;
  }

  public HttpClient http() {
    return http;
  }

  @Override
  public void close() {
    ticker.shutdownNow();
    workers.shutdownNow();
    try {
      workers.awaitTermination(5, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    watchdog.close();
    http.close();
  }

  private static ThreadFactory daemon(String prefix) {
    AtomicInteger count = new AtomicInteger();
    return runnable -> {
      Thread thread = new Thread(runnable, prefix + count.incrementAndGet());
      thread.setDaemon(true);
      return thread;
    };
  }
}
