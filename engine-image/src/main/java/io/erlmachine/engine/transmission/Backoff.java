package io.erlmachine.engine.transmission;

/** Exponential backoff: the initial wait, doubled per retry, capped. */
final class Backoff {
  private Backoff() {
  }

  static long millis(int retry, long initialMillis, long maxMillis) {
    long wait = initialMillis << Math.min(retry, 30);
    return wait <= 0 || wait > maxMillis ? maxMillis : wait;
  }
}
