package io.erlmachine.testkit;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/** Runs an external command to completion and captures what it printed. */
public final class CommandRunner {
  private CommandRunner() {
  }

  /** The outcome of a command: exit code, standard output and standard error. */
  public record Result(List<String> command, int exitCode, String stdout, String stderr) {
    public Result assertSuccess() {
      if (exitCode != 0) {
        throw new AssertionError(String.join(" ", command) + " exited with " + exitCode + "\nstdout:\n" + stdout + "\nstderr:\n" + stderr);
      }
      return this;
    }
  }

  public static Result run(List<String> command, Map<String, String> environment, Duration timeout) {
    ProcessBuilder builder = new ProcessBuilder(command).directory(Repository.root().toFile());
    builder.environment().putAll(environment);
    try {
      Path stdout = java.nio.file.Files.createTempFile("cmd", ".out");
      Path stderr = java.nio.file.Files.createTempFile("cmd", ".err");
      builder.redirectOutput(stdout.toFile()).redirectError(stderr.toFile());
      Process process = builder.start();
      if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
        process.destroyForcibly();
        throw new AssertionError(String.join(" ", command) + " did not finish within " + timeout);
      }
      Result result = new Result(command, process.exitValue(),
          java.nio.file.Files.readString(stdout, StandardCharsets.UTF_8), java.nio.file.Files.readString(stderr, StandardCharsets.UTF_8));
      java.nio.file.Files.deleteIfExists(stdout);
      java.nio.file.Files.deleteIfExists(stderr);
      return result;
    } catch (IOException e) {
      throw new IllegalStateException("cannot run " + command, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while running " + command, e);
    }
  }
}
