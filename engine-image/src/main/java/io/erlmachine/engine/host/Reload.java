package io.erlmachine.engine.host;

import io.erlmachine.engine.machine.MachineRuntime;
import java.time.Instant;
import java.util.List;

/** The outcome of the latest attempt to load one machine's config. */
public record Reload(Instant at, boolean applied, List<String> problems, MachineRuntime.ApplyResult result) {
  static Reload applied(MachineRuntime.ApplyResult result) {
    return new Reload(Instant.now(), true, List.of(), result);
  }

  static Reload rejected(List<String> problems) {
    return new Reload(Instant.now(), false, List.copyOf(problems), null);
  }
}
