package io.erlmachine.engine.host;

import io.erlmachine.engine.machine.MachineRuntime;
import java.time.Instant;
import java.util.List;

/**
 * The outcome of the latest attempt to load one machine's config, and how long applying it
 * took (reading, validating, compiling and starting the gears that changed).
 */
public record Reload(Instant at, boolean applied, List<String> problems, MachineRuntime.ApplyResult result, long tookMicros) {
  static Reload applied(MachineRuntime.ApplyResult result, long startedNanos) {
    return new Reload(Instant.now(), true, List.of(), result, (System.nanoTime() - startedNanos) / 1_000);
  }

  /** Applied in {@code tookNanos}: a machine started beside others counts its own start, not the wait for theirs. */
  static Reload took(MachineRuntime.ApplyResult result, long tookNanos) {
    return new Reload(Instant.now(), true, List.of(), result, tookNanos / 1_000);
  }

  static Reload rejected(List<String> problems) {
    return new Reload(Instant.now(), false, List.copyOf(problems), null, 0);
  }
}
