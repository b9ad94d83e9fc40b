package io.erlmachine.operator.it;

import io.erlmachine.testkit.CommandRunner;
import io.erlmachine.testkit.Repository;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** The helm binary built by hack/cluster, run against the chart in helm/erlmachine. */
final class Helm {
  static final Path CHART = Repository.path("helm/erlmachine");
  private final Path binary;

  Helm() {
    String binDir = CommandRunner.run(List.of(Repository.path("hack/cluster").toString(), "bin-dir"), Map.of(), Duration.ofSeconds(30))
        .assertSuccess().stdout().strip();
    this.binary = Path.of(binDir, "helm");
  }

  CommandRunner.Result run(String... args) {
    List<String> command = new ArrayList<>(List.of(binary.toString()));
    command.addAll(List.of(args));
    return CommandRunner.run(command, Map.of("HELM_CACHE_HOME", "target/helm/cache", "HELM_CONFIG_HOME", "target/helm/config",
        "HELM_DATA_HOME", "target/helm/data"), Duration.ofMinutes(3));
  }
}
