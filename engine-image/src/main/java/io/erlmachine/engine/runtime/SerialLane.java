package io.erlmachine.engine.runtime;

import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Runs tasks one after another on a shared pool: the gears of one gearbox share a JavaScript
 * context, which one thread may enter at a time, so everything that touches that context goes
 * through the gearbox's lane. Different lanes run in parallel on the host's workers.
 */
public final class SerialLane implements Executor {
  /** Tasks run per turn before the lane gives its worker back, so one busy gearbox cannot hold a thread. */
  private static final int TURN = 16;
  private final Executor pool;
  private final Queue<Runnable> tasks = new ConcurrentLinkedQueue<>();
  private final AtomicBoolean queued = new AtomicBoolean();

  public SerialLane(Executor pool) {
    this.pool = pool;
  }

  @Override
  public void execute(Runnable task) {
    tasks.add(task);
    if (queued.compareAndSet(false, true)) {
      submit();
    }
  }

  private void submit() {
    try {
      pool.execute(this::drain);
    } catch (java.util.concurrent.RejectedExecutionException stopped) {
      queued.set(false);
    }
  }

  private void drain() {
    try {
      for (int i = 0; i < TURN; i++) {
        Runnable task = tasks.poll();
        if (task == null) {
          break;
        }
        try {
          task.run();
        } catch (RuntimeException | StackOverflowError e) {
          System.getLogger(SerialLane.class.getName()).log(System.Logger.Level.ERROR, "a lane task failed", e);
        }
      }
    } finally {
      queued.set(false);
      if (!tasks.isEmpty() && queued.compareAndSet(false, true)) {
        submit();
      }
    }
  }
}
