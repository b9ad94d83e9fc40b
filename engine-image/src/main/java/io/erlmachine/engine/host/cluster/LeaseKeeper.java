package io.erlmachine.engine.host.cluster;

import io.erlmachine.engine.app.EngineSettings;
import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.jboss.logging.Logger;

/**
 * Keeps the host's machines fenced by its Lease. One thread takes the Lease (then lets the machines start), renews it
 * and writes changed reports with a renewal, at most once per report interval. A second thread watches the renew
 * deadline: once renewals have failed that long it stops every machine, before the Lease can expire for anyone else,
 * and the first thread goes back to taking the Lease. Starting and stopping the machines happen under one lock, so a
 * host never serves without holding the Lease.
 */
final class LeaseKeeper implements AutoCloseable {
  private static final Logger LOG = Logger.getLogger(LeaseKeeper.class);
  private static final long DEADLINE_CHECK_MILLIS = 200;

  /** What the Lease governs. */
  interface Machines {
    /** The Lease is held: machines may run. */
    void serve();

    /** The Lease is not held (any more): every machine stops. */
    void fence(String why);

    /** The host shuts down: every machine stops before the Lease is given back. */
    void stopAll();

    /** The machines' reports as the Lease annotation carries them. */
    String reports();
  }

  private final HostLease lease;
  private final EngineSettings.Cluster settings;
  private final Machines machines;
  private final Object serving = new Object();
  private ScheduledExecutorService loop;
  private ScheduledExecutorService deadline;
  private long nextAttemptNanos;

  LeaseKeeper(HostLease lease, EngineSettings.Cluster settings, Machines machines) {
    this.lease = lease;
    this.settings = settings;
    this.machines = machines;
  }

  void start() {
    loop = Executors.newSingleThreadScheduledExecutor(Thread.ofPlatform().daemon().name("erlmachine-lease").factory());
    deadline = Executors.newSingleThreadScheduledExecutor(Thread.ofPlatform().daemon().name("erlmachine-lease-deadline").factory());
    loop.scheduleWithFixedDelay(this::tick, 0, settings.reportInterval().toMillis(), TimeUnit.MILLISECONDS);
    deadline.scheduleWithFixedDelay(this::checkDeadline, DEADLINE_CHECK_MILLIS, DEADLINE_CHECK_MILLIS, TimeUnit.MILLISECONDS);
  }

  private void tick() {
    try {
      if (System.nanoTime() - nextAttemptNanos < 0) {
        return;
      }
      if (!lease.held()) {
        acquire();
        return;
      }
      String reports = machines.reports();
      if (reports.equals(lease.publishedReports()) && lease.sinceRenewal().compareTo(settings.renewInterval()) < 0) {
        return;
      }
      switch (lease.renew(reports)) {
        case RENEWED -> { }
        case FAILED -> retryLater();
        case LOST -> fence("another holder has the Lease");
      }
    } catch (RuntimeException e) {
      LOG.errorf(e, "keeping the Lease failed");
      retryLater();
    }
  }

  private void acquire() {
    if (!lease.tryAcquire()) {
      retryLater();
      return;
    }
    synchronized (serving) {
      if (lease.held()) {
        machines.serve();
      }
    }
  }

  private void checkDeadline() {
    try {
      synchronized (serving) {
        Duration since = lease.sinceRenewal();
        if (lease.held() && since.compareTo(settings.renewDeadline()) > 0) {
          lease.drop();
          machines.fence("the Lease was not renewed for " + since.toMillis() + " ms (renew deadline "
              + settings.renewDeadline().toMillis() + " ms)");
        }
      }
    } catch (RuntimeException e) {
      LOG.errorf(e, "checking the renew deadline failed");
    }
  }

  private void fence(String why) {
    synchronized (serving) {
      lease.drop();
      machines.fence(why);
    }
  }

  private void retryLater() {
    nextAttemptNanos = System.nanoTime() + settings.retryPeriod().toNanos();
  }

  /** Stops every machine, then gives the Lease back. */
  @Override
  public void close() {
    stop(loop);
    stop(deadline);
    synchronized (serving) {
      machines.stopAll();
    }
    lease.release();
  }

  private static void stop(ScheduledExecutorService executor) {
    if (executor == null) {
      return;
    }
    executor.shutdownNow();
    try {
      executor.awaitTermination(10, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
