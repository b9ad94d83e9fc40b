package io.erlmachine.engine.host.cluster;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.stream.Stream;

/**
 * The engine's config directory as the feed fills it: one file per ConfigMap, each written whole (a hidden temporary
 * file moved into place), so the engine never reads half a config.
 */
final class ConfigDirectory {
  private final Path directory;

  private ConfigDirectory(Path directory) {
    this.directory = directory;
  }

  /** The directory, created when missing and emptied of configs a previous run of the host left. */
  static ConfigDirectory emptied(Path directory) {
    try {
      Files.createDirectories(directory);
      try (Stream<Path> files = Files.list(directory)) {
        for (Path file : files.filter(Files::isRegularFile).toList()) {
          Files.deleteIfExists(file);
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot prepare the config directory " + directory, e);
    }
    return new ConfigDirectory(directory);
  }

  void write(String file, String text) throws IOException {
    Path temporary = directory.resolve("." + file + ".tmp");
    Files.writeString(temporary, text);
    Files.move(temporary, directory.resolve(file), StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
  }

  void remove(String file) throws IOException {
    Files.deleteIfExists(directory.resolve(file));
  }
}
