package io.erlmachine.testkit;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** The real kubectl, pointed at a test cluster. */
public final class Kubectl {
  private final Path kubeconfig;

  public Kubectl(Path kubeconfig) {
    this.kubeconfig = kubeconfig;
  }

  public CommandRunner.Result run(String... args) {
    List<String> command = new ArrayList<>(List.of("kubectl", "--kubeconfig", kubeconfig.toString()));
    command.addAll(List.of(args));
    return CommandRunner.run(command, Map.of(), Duration.ofSeconds(60));
  }

  /** Runs kubectl and returns its standard output, failing the test when it exits non-zero. */
  public String output(String... args) {
    return run(args).assertSuccess().stdout();
  }
}
