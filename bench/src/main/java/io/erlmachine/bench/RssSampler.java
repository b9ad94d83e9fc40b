package io.erlmachine.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** Samples a process's resident set size from /proc every 100 ms and keeps the peak. */
final class RssSampler implements AutoCloseable {
  private final Path status;
  private final Thread sampler;
  private volatile long peak;
  private volatile boolean running = true;

  private RssSampler(long pid) {
    this.status = Path.of("/proc", Long.toString(pid), "status");
    this.sampler = Thread.ofPlatform().daemon().start(this::sample);
  }

  static RssSampler start(long pid) {
    return new RssSampler(pid);
  }

  long peakBytes() {
    return peak;
  }

  private void sample() {
    while (running) {
      try {
        for (String line : Files.readAllLines(status)) {
          if (line.startsWith("VmRSS:")) {
            long kib = Long.parseLong(line.replaceAll("[^0-9]", ""));
            peak = Math.max(peak, kib * 1024);
          }
        }
        Thread.sleep(100);
      } catch (IOException gone) {
        return;
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      }
    }
  }

  @Override
  public void close() {
    running = false;
  }
}
