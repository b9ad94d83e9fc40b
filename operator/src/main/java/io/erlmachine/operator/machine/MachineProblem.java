package io.erlmachine.operator.machine;

/** Something about a Machine the schema could not catch and the user has to fix. */
public final class MachineProblem extends Exception {
  private final String reason;

  public MachineProblem(String reason, String message) {
    super(message, null, false, false);
    this.reason = reason;
  }

  /** A CamelCase word for the condition's reason. */
  public String reason() {
    return reason;
  }
}
