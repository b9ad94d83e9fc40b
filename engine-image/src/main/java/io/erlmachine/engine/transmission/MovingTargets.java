package io.erlmachine.engine.transmission;

import java.net.http.HttpHeaders;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.LongSupplier;

/**
 * Target machines that said they are moving. An engine that shuts down (a drain, a rolling update, a deleted pod)
 * answers {@code 503 ShuttingDown} with {@code Retry-After} while it finishes what it accepted, and the next engine of
 * its host serves the machine a little later. From that answer on, until the target answers other than 503 or the
 * patience has passed, a failed delivery to it (the refusals, and the connection errors while no engine serves it) waits
 * and is tried again without using up one of the delivery's retries. One per machine, shared by its transmissions.
 */
public final class MovingTargets {
  /** The error name of the answer that says a target is moving. */
  public static final String SHUTTING_DOWN = "ShuttingDown";
  static final long DEFAULT_WAIT_MILLIS = 1000;
  static final long MIN_WAIT_MILLIS = 100;
  static final long MAX_WAIT_MILLIS = 5000;

  private final long patienceNanos;
  private final LongSupplier nanoClock;
  private final Map<String, Move> moves = new ConcurrentHashMap<>();

  /** A target's move: when it first said so, and how long it asked senders to wait. */
  private record Move(long sinceNanos, long waitMillis) {
  }

  public MovingTargets(Duration patience) {
    this(patience, System::nanoTime);
  }

  MovingTargets(Duration patience, LongSupplier nanoClock) {
    if (patience.isNegative()) {
      throw new IllegalArgumentException("the patience with a moving target must not be negative: " + patience);
    }
    this.patienceNanos = patience.toNanos();
    this.nanoClock = nanoClock;
  }

  /**
   * Notes what a target answered. A {@code 503 ShuttingDown} starts its move (a later one keeps the start, so that the
   * patience bounds the whole move, and takes its {@code Retry-After}); another 503 (a machine stopping or not started
   * yet, a full mailbox) leaves a move as it is; any other answer ends it.
   */
  public void answered(String target, int status, String errorName, HttpHeaders headers) {
    if (status == 503 && SHUTTING_DOWN.equals(errorName)) {
      long wait = retryAfterMillis(headers);
      moves.compute(target, (name, move) -> new Move(move == null ? nanoClock.getAsLong() : move.sinceNanos(), wait));
    } else if (status != 503) {
      moves.remove(target);
    }
  }

  /**
   * How long to wait before trying a failed delivery to this target again without using a retry, or -1 when the target
   * is not moving (or its move took longer than the patience): the failure then counts as any other.
   */
  public long holdMillis(String target) {
    Move move = moves.get(target);
    if (move == null) {
      return -1;
    }
    if (nanoClock.getAsLong() - move.sinceNanos() >= patienceNanos) {
      return -1;
    }
    return move.waitMillis();
  }

  /** Whether the target said it was moving and the patience has passed: its failures count again. */
  public boolean overdue(String target) {
    Move move = moves.get(target);
    return move != null && nanoClock.getAsLong() - move.sinceNanos() >= patienceNanos;
  }

  public Duration patience() {
    return Duration.ofNanos(patienceNanos);
  }

  /** Retry-After in seconds (the engine sends 1), bounded; one second when it is absent or a date. */
  static long retryAfterMillis(HttpHeaders headers) {
    String value = headers == null ? null : headers.firstValue("Retry-After").orElse(null);
    if (value == null) {
      return DEFAULT_WAIT_MILLIS;
    }
    try {
      long seconds = Long.parseLong(value.strip());
      return Math.max(MIN_WAIT_MILLIS, Math.min(seconds, MAX_WAIT_MILLIS / 1000) * 1000);
    } catch (NumberFormatException notSeconds) {
      return DEFAULT_WAIT_MILLIS;
    }
  }
}
