package io.erlmachine.engine.machine;

import java.util.List;

/** A machine config the engine refuses to run, with every problem found. */
public final class InvalidConfigException extends Exception {
  private final List<String> problems;

  public InvalidConfigException(List<String> problems) {
    super("invalid machine config: " + String.join("; ", problems));
    this.problems = List.copyOf(problems);
  }

  public List<String> problems() {
    return problems;
  }
}
