package io.erlmachine.engine.cli;

/** Something the command cannot do, said so that the user knows what to change; ends the command with its exit code. */
public final class CliProblem extends RuntimeException {
  /** Bad arguments. */
  public static final int USAGE = 2;
  /** The machine, its host or the cluster said no. */
  public static final int FAILED = 1;

  private final int exitCode;

  public CliProblem(int exitCode, String message) {
    super(message);
    this.exitCode = exitCode;
  }

  public static CliProblem usage(String message) {
    return new CliProblem(USAGE, message);
  }

  public static CliProblem failed(String message) {
    return new CliProblem(FAILED, message);
  }

  public int exitCode() {
    return exitCode;
  }
}
