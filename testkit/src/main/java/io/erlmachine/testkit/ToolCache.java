package io.erlmachine.testkit;

import java.nio.file.Path;

/** Where {@code hack/cluster} keeps the binaries it builds; mirrors hack/lib/common.sh. */
final class ToolCache {
  private ToolCache() {
  }

  static Path root() {
    String configured = System.getenv("ERLMACHINE_CACHE");
    if (configured != null && !configured.isBlank()) {
      return Path.of(configured);
    }
    String xdg = System.getenv("XDG_CACHE_HOME");
    Path cacheHome = xdg != null && !xdg.isBlank() ? Path.of(xdg) : Path.of(System.getProperty("user.home"), ".cache");
    return cacheHome.resolve("erlmachine");
  }

  /** The Kubernetes version the tests run against, without the leading v. */
  static String kubeVersion() {
    return System.getProperty("erlmachine.kube.version", "1.34.4");
  }

  /** The directory kube-api-test searches for {@code k8s/<version>-linux-amd64/}. */
  static Path kubeApiTestDir() {
    String configured = System.getenv("KUBE_API_TEST_DIR");
    return configured != null && !configured.isBlank() ? Path.of(configured) : root().resolve("kube-api-test");
  }
}
