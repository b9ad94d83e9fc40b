package io.erlmachine.engine.runtime;

import java.util.ArrayDeque;
import java.util.Deque;

/** OTP-style restart intensity: at most maxRestarts restarts within a sliding window. */
public final class RestartIntensity {
  private final int maxRestarts;
  private final long windowNanos;
  private final Deque<Long> restarts = new ArrayDeque<>();

  public RestartIntensity(int maxRestarts, long windowMillis) {
    this.maxRestarts = maxRestarts;
    this.windowNanos = windowMillis * 1_000_000L;
  }

  /** Records a crash at the given time; false when one more restart would exceed the limit. */
  synchronized boolean allowRestart(long nowNanos) {
    while (!restarts.isEmpty() && nowNanos - restarts.peekFirst() > windowNanos) {
      restarts.removeFirst();
    }
    if (restarts.size() >= maxRestarts) {
      return false;
    }
    restarts.addLast(nowNanos);
    return true;
  }

  synchronized void reset() {
    restarts.clear();
  }
}
