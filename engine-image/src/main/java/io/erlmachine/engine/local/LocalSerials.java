package io.erlmachine.engine.local;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Properties;

/**
 * Serial numbers for local mode, kept in a file so that they are assigned as on a cluster: a
 * machine keeps its serial from run to run, and a number is never given to another machine.
 */
final class LocalSerials {
  private static final String NEXT = "next";
  private final Path file;
  private final Properties assigned = new Properties();

  LocalSerials(Path file) {
    this.file = file;
    if (Files.exists(file)) {
      try (var in = Files.newInputStream(file)) {
        assigned.load(in);
      } catch (IOException e) {
        throw new UncheckedIOException("cannot read the serial numbers in " + file, e);
      }
    }
  }

  synchronized long serialOf(String machine) {
    String existing = assigned.getProperty(machine);
    if (existing != null) {
      return Long.parseLong(existing);
    }
    long next = Long.parseLong(assigned.getProperty(NEXT, "1"));
    assigned.setProperty(machine, Long.toString(next));
    assigned.setProperty(NEXT, Long.toString(next + 1));
    save();
    return next;
  }

  private void save() {
    try {
      Files.createDirectories(file.getParent());
      try (var out = Files.newOutputStream(file)) {
        assigned.store(out, "Erlmachine local mode: serial numbers by namespace/name");
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot save the serial numbers in " + file, e);
    }
  }
}
