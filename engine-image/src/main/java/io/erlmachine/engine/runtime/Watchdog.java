package io.erlmachine.engine.runtime;

import java.lang.management.ManagementFactory;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Stops a gear that runs too long or allocates too much while handling one message. The
 * statement limit stops most runaway loops inside JavaScript; the watchdog also catches time
 * spent where statements are not counted (a regular expression, a huge JSON text) and memory
 * allocated faster than statements are executed.
 */
public final class Watchdog implements AutoCloseable {
  private static final long CHECK_EVERY_MILLIS = 10;
  private final com.sun.management.ThreadMXBean threads =
      (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
  private final Map<Object, Watch> running = new ConcurrentHashMap<>();
  private final ScheduledExecutorService checker = Executors.newSingleThreadScheduledExecutor(r -> {
    Thread thread = new Thread(r, "erlmachine-watchdog");
    thread.setDaemon(true);
    return thread;
  });

  public Watchdog() {
    threads.setThreadAllocatedMemoryEnabled(true);
    checker.scheduleWithFixedDelay(this::check, CHECK_EVERY_MILLIS, CHECK_EVERY_MILLIS, TimeUnit.MILLISECONDS);
  }

  /** A running message, watched until {@link #end}. */
  public static final class Watch {
    private final GearBehavior behavior;
    private final long threadId;
    private final long deadlineNanos;
    private final long timeoutMillis;
    private final long allocationLimit;
    private final long allocatedAtStart;
    private volatile String breach;

    private Watch(GearBehavior behavior, long threadId, long timeoutMillis, long allocationLimit, long allocatedAtStart) {
      this.behavior = behavior;
      this.threadId = threadId;
      this.timeoutMillis = timeoutMillis;
      this.deadlineNanos = System.nanoTime() + timeoutMillis * 1_000_000L;
      this.allocationLimit = allocationLimit;
      this.allocatedAtStart = allocatedAtStart;
    }

    /** Why the watchdog stopped the message, or null when it did not. */
    public String breach() {
      return breach;
    }
  }

  /** Starts watching the current thread running {@code behavior}; the key identifies the run. */
  public Watch begin(Object key, GearBehavior behavior, long timeoutMillis, long allocationLimitBytes) {
    Thread current = Thread.currentThread();
    Watch watch = new Watch(behavior, current.threadId(), timeoutMillis, allocationLimitBytes,
        threads.getCurrentThreadAllocatedBytes());
    running.put(key, watch);
    return watch;
  }

  public void end(Object key) {
    running.remove(key);
  }

  private void check() {
    long now = System.nanoTime();
    for (Watch watch : running.values()) {
      if (watch.breach != null) {
        continue;
      }
      if (now - watch.deadlineNanos > 0) {
        stop(watch, "took longer than the message timeout of " + watch.timeoutMillis + "ms");
        continue;
      }
      long allocated = threads.getThreadAllocatedBytes(watch.threadId) - watch.allocatedAtStart;
      if (watch.allocationLimit > 0 && allocated > watch.allocationLimit) {
        stop(watch, "allocated more than " + (watch.allocationLimit >> 20) + " MiB while handling one message");
      }
    }
  }

  private void stop(Watch watch, String reason) {
    watch.breach = reason;
    try {
      watch.behavior.cancel();
    } catch (RuntimeException e) {
      // A behavior that cannot be cancelled is left to finish; the breach is still reported.
    }
  }

  @Override
  public void close() {
    checker.shutdownNow();
  }
}
