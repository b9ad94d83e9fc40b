package io.erlmachine.engine.logs;

/**
 * A token bucket for log lines: at most {@code linesPerSecond} lines, with a burst of the same
 * size. Lines refused are counted until the next line that passes reports them.
 */
public final class LineRate {
  private final int linesPerSecond;
  private double tokens;
  private long lastRefill = System.nanoTime();
  private long suppressed;

  public LineRate(int linesPerSecond) {
    this.linesPerSecond = linesPerSecond;
    this.tokens = linesPerSecond;
  }

  /**
   * Whether a line may be written now: -1 when not (it is counted as suppressed), otherwise the
   * number of lines suppressed since the last one written (then reset to 0).
   */
  public synchronized long take() {
    long now = System.nanoTime();
    tokens = Math.min(linesPerSecond, tokens + (now - lastRefill) / 1e9 * linesPerSecond);
    lastRefill = now;
    if (tokens < 1) {
      suppressed++;
      return -1;
    }
    tokens--;
    long reported = suppressed;
    suppressed = 0;
    return reported;
  }

  public synchronized long suppressed() {
    return suppressed;
  }

  public int linesPerSecond() {
    return linesPerSecond;
  }
}
