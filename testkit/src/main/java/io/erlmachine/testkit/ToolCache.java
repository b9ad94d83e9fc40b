package io.erlmachine.testkit;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** What {@code hack/cluster env} says about the pinned control plane: the one place versions and cache paths are defined. */
final class ToolCache {
  private static final Pattern EXPORT = Pattern.compile("^export (\\w+)='([^']*)'");

  private final Map<String, String> environment;

  private ToolCache(Map<String, String> environment) {
    this.environment = environment;
  }

  static ToolCache read() {
    String output = CommandRunner.run(List.of(Repository.path("hack/cluster").toString(), "env"), Map.of(), Duration.ofSeconds(30))
        .assertSuccess().stdout();
    Map<String, String> exports = new java.util.HashMap<>();
    output.lines().forEach(line -> {
      Matcher export = EXPORT.matcher(line);
      if (export.find()) {
        exports.put(export.group(1), export.group(2));
      }
    });
    return new ToolCache(exports);
  }

  /** The Kubernetes version of the test control plane, without the leading v. */
  String kubeVersion() {
    return required("ERLMACHINE_KUBE_VERSION");
  }

  /** The directory kube-api-test searches for {@code k8s/<version>-linux-amd64/}. */
  Path kubeApiTestDir() {
    return Path.of(required("KUBE_API_TEST_DIR"));
  }

  private String required(String name) {
    String value = environment.get(name);
    if (value == null || value.isBlank()) {
      throw new IllegalStateException("hack/cluster env did not print " + name);
    }
    return value;
  }
}
