package io.erlmachine.testkit;

import java.nio.file.Files;
import java.nio.file.Path;

/** Locates files of the repository the tests run from. */
public final class Repository {
  private Repository() {
  }

  /** The repository root: the {@code erlmachine.repo.root} property, or the nearest parent holding {@code hack/cluster}. */
  public static Path root() {
    String configured = System.getProperty("erlmachine.repo.root");
    if (configured != null && Files.isRegularFile(Path.of(configured, "hack", "cluster"))) {
      return Path.of(configured).toAbsolutePath();
    }
    for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
      if (Files.isRegularFile(dir.resolve("hack/cluster"))) {
        return dir;
      }
    }
    throw new IllegalStateException("cannot find the repository root (no hack/cluster above " + Path.of("").toAbsolutePath() + ")");
  }

  public static Path path(String relative) {
    return root().resolve(relative);
  }
}
