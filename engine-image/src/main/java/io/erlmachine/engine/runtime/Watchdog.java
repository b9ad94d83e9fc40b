package io.erlmachine.engine.runtime;

import java.lang.management.ManagementFactory;
import java.util.Set;
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
  private static final com.sun.management.ThreadMXBean THREADS =
      (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
  private final Set<Watch> watches = ConcurrentHashMap.newKeySet();
  private final ScheduledExecutorService checker = Executors.newSingleThreadScheduledExecutor(r -> {
    Thread thread = new Thread(r, "erlmachine-watchdog");
    thread.setDaemon(true);
    return thread;
  });

  public Watchdog() {
    THREADS.setThreadAllocatedMemoryEnabled(true);
    checker.scheduleWithFixedDelay(this::check, CHECK_EVERY_MILLIS, CHECK_EVERY_MILLIS, TimeUnit.MILLISECONDS);
  }

  /** A watch for one gear, reused for every message it handles (it is on the hot path). */
  public Watch newWatch() {
    Watch watch = new Watch();
    watches.add(watch);
    return watch;
  }

  /** Stops watching for good. */
  public void release(Watch watch) {
    watches.remove(watch);
  }

  /** Watches one message at a time on the thread that calls {@link #begin}. */
  public static final class Watch {
    private GearBehavior behavior;
    private long threadId;
    private long deadlineNanos;
    private long timeoutMillis;
    private long allocationLimit;
    private long allocatedAtStart;
    private volatile boolean active;
    private volatile String breach;

    private Watch() {
    }

    public void begin(GearBehavior watched, long timeout, long allocationLimitBytes) {
      behavior = watched;
      threadId = Thread.currentThread().threadId();
      timeoutMillis = timeout;
      deadlineNanos = System.nanoTime() + timeout * 1_000_000L;
      allocationLimit = allocationLimitBytes;
      allocatedAtStart = THREADS.getCurrentThreadAllocatedBytes();
      breach = null;
      active = true;
    }

    public void end() {
      active = false;
    }

    /** Why the watchdog stopped the message, or null when it did not. */
    public String breach() {
      return breach;
    }
  }

  private void check() {
    long now = System.nanoTime();
    for (Watch watch : watches) {
      if (!watch.active || watch.breach != null) {
        continue;
      }
      if (now - watch.deadlineNanos > 0) {
        stop(watch, "took longer than the message timeout of " + watch.timeoutMillis + "ms");
        continue;
      }
      long allocated = THREADS.getThreadAllocatedBytes(watch.threadId) - watch.allocatedAtStart;
      if (watch.allocationLimit > 0 && allocated > watch.allocationLimit) {
        stop(watch, "allocated more than " + (watch.allocationLimit >> 20) + " MiB while handling one message");
      }
    }
  }

  private static void stop(Watch watch, String reason) {
    GearBehavior behavior = watch.behavior;
    if (!watch.active) {
      return;
    }
    watch.breach = reason;
    try {
      behavior.cancel();
    } catch (RuntimeException e) {
      // A behavior that cannot be cancelled is left to finish; the breach is still reported.
    }
  }

  @Override
  public void close() {
    checker.shutdownNow();
  }
}
