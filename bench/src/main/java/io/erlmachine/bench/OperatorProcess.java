package io.erlmachine.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The packaged operator run as a process of its own, as the Helm chart runs it (fewer glibc malloc arenas), with its
 * resident set size sampled from the start. Its log goes to {@code bench/target/<name>.log}; a heap histogram taken
 * with jcmd goes beside it.
 */
final class OperatorProcess implements AutoCloseable {
  static final String NAMESPACE = "erlmachine-system";

  private final Process process;
  private final RssSampler rss;
  private final Path log;

  private OperatorProcess(Process process, Path log) {
    this.process = process;
    this.rss = RssSampler.start(process.pid());
    this.log = log;
  }

  static OperatorProcess start(String name, Path kubeconfig, Path operatorJar, String jvmOptions) throws IOException {
    List<String> command = new ArrayList<>(List.of(java()));
    if (!jvmOptions.isBlank()) {
      command.addAll(List.of(jvmOptions.trim().split("\\s+")));
    }
    command.addAll(List.of("-jar", operatorJar.toString()));
    Path log = Path.of("bench", "target", name + ".log");
    Files.createDirectories(log.getParent());
    ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile());
    builder.environment().put("KUBECONFIG", kubeconfig.toString());
    builder.environment().put("POD_NAMESPACE", NAMESPACE);
    builder.environment().put("ERLMACHINE_HTTP_PORT", "0");
    // As the Helm chart runs it: fewer glibc malloc arenas keep native memory down.
    builder.environment().put("MALLOC_ARENA_MAX", "2");
    return new OperatorProcess(builder.start(), log);
  }

  /** Waits until the operator processes Machine events (it holds the leader Lease and its caches are filled). */
  void awaitStarted(Duration timeout) throws IOException, InterruptedException {
    Instant deadline = Instant.now().plus(timeout);
    while (Instant.now().isBefore(deadline)) {
      if (!process.isAlive()) {
        throw new IllegalStateException("the operator exited while starting; see " + log);
      }
      if (Files.readString(log).contains("Started event processing for controller: machine")) {
        return;
      }
      Thread.sleep(250);
    }
    throw new IllegalStateException("the operator did not start within " + timeout + "; see " + log);
  }

  long peakRssBytes() {
    return rss.peakBytes();
  }

  boolean alive() {
    return process.isAlive();
  }

  /** Writes the live objects on the operator's heap (a full GC first) beside its log; returns the file. */
  Path heapHistogram() throws IOException, InterruptedException {
    Path histogram = log.resolveSibling(log.getFileName().toString().replace(".log", "") + "-histogram.txt");
    Process jcmd = new ProcessBuilder(jcmd(), Long.toString(process.pid()), "GC.class_histogram").redirectErrorStream(true)
        .redirectOutput(histogram.toFile()).start();
    if (!jcmd.waitFor(2, TimeUnit.MINUTES)) {
      jcmd.destroyForcibly();
    }
    return histogram;
  }

  /** The heap after the histogram's full GC, as jcmd GC.heap_info prints it. */
  String heapInfo() throws IOException, InterruptedException {
    Process jcmd = new ProcessBuilder(jcmd(), Long.toString(process.pid()), "GC.heap_info").redirectErrorStream(true).start();
    String out = new String(jcmd.getInputStream().readAllBytes());
    jcmd.waitFor(1, TimeUnit.MINUTES);
    return out;
  }

  @Override
  public void close() throws InterruptedException {
    rss.close();
    process.destroy();
    if (!process.waitFor(1, TimeUnit.MINUTES)) {
      process.destroyForcibly().waitFor();
    }
  }

  private static String java() {
    return ProcessHandle.current().info().command().orElse("java");
  }

  private static String jcmd() {
    return Path.of(java()).resolveSibling("jcmd").toString();
  }
}
