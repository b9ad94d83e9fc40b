package io.erlmachine.engine.http;

import io.quarkus.test.junit.QuarkusTestProfile;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Map;

/** Runs the engine on engine-test-config.yaml, copied to a file the tests may change (hot reload). */
public class EngineTestProfile implements QuarkusTestProfile {
  public static final Path CONFIG = Path.of("target", "engine-test", "machine.yaml").toAbsolutePath();

  @Override
  public Map<String, String> getConfigOverrides() {
    restoreConfig();
    return Map.of(
        "erlmachine.engine.config-file", CONFIG.toString(),
        "erlmachine.engine.reload-check-interval", "100ms",
        "erlmachine.engine.allocation-limit-mebibytes", "64",
        "erlmachine.engine.require-compiler", "true");
  }

  public static String originalConfig() {
    try (InputStream in = EngineTestProfile.class.getResourceAsStream("/engine-test-config.yaml")) {
      return new String(in.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  public static void restoreConfig() {
    writeConfig(originalConfig());
  }

  /** Replaces the config file at once (as a ConfigMap update does), never leaving it half written. */
  public static void writeConfig(String yaml) {
    try {
      Files.createDirectories(CONFIG.getParent());
      Path temporary = CONFIG.resolveSibling("machine.yaml.new");
      Files.writeString(temporary, yaml);
      Files.move(temporary, CONFIG, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
