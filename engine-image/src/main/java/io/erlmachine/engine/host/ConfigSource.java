package io.erlmachine.engine.host;

import io.erlmachine.api.config.MachineConfig;
import io.erlmachine.engine.config.MachineConfigFile;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * Where a host's machine configs come from: one file (an engine that runs one machine, as a
 * dedicated pod mounts it) or a directory with one machine config per file (a host).
 */
public record ConfigSource(Path path) {

  /** A file as read: the config, or why it could not be read. */
  public record Entry(Path file, MachineConfig config, String problem) {
  }

  public boolean isDirectory() {
    return Files.isDirectory(path);
  }

  /**
   * Every config file, in name order, with a stamp (size and modification time, following
   * symbolic links as a mounted ConfigMap uses them) that changes when the file does. Hidden
   * files and files being written (not ending in .yaml, .yml or .json) are skipped.
   */
  public Map<Path, String> stamps() {
    Map<Path, String> stamps = new LinkedHashMap<>();
    for (Path file : files()) {
      try {
        stamps.put(file, Files.size(file) + "@" + Files.getLastModifiedTime(file).to(TimeUnit.NANOSECONDS));
      } catch (IOException e) {
        // Gone between listing and reading: it is simply not there.
      }
    }
    return stamps;
  }

  public static Entry read(Path file) {
    try {
      return new Entry(file, MachineConfigFile.load(file), null);
    } catch (IllegalArgumentException | UncheckedIOException e) {
      return new Entry(file, null, file.getFileName() + ": " + e.getMessage());
    }
  }

  private List<Path> files() {
    if (!isDirectory()) {
      return Files.exists(path) ? List.of(path) : List.of();
    }
    try (Stream<Path> listing = Files.list(path)) {
      return listing.filter(ConfigSource::isConfigFile).sorted().toList();
    } catch (IOException e) {
      return List.of();
    }
  }

  private static boolean isConfigFile(Path file) {
    String name = file.getFileName().toString();
    return !name.startsWith(".") && (name.endsWith(".yaml") || name.endsWith(".yml") || name.endsWith(".json"))
        && Files.isRegularFile(file);
  }
}
