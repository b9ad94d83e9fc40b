package io.erlmachine.engine.host;

import io.erlmachine.api.config.MachineConfig;
import io.erlmachine.api.config.MachineConfigCodec;
import io.erlmachine.engine.TestConfigs;
import io.quarkus.test.junit.QuarkusTestProfile;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/** Runs the engine as a host of a directory of machine configs, each machine on its own loopback address. */
public class HostTestProfile implements QuarkusTestProfile {
  public static final Path DIRECTORY = Path.of("target", "host-test", "machines").toAbsolutePath();
  public static final int PORT = 18_401;

  @Override
  public Map<String, String> getConfigOverrides() {
    reset();
    return Map.of(
        "erlmachine.engine.config-file", DIRECTORY.toString(),
        "erlmachine.engine.reload-check-interval", "100ms",
        "erlmachine.engine.allocation-limit-mebibytes", "64",
        "erlmachine.engine.require-compiler", "true");
  }

  /** Three machines: m1 and m2 count what they get, m3 runs whatever code a test gives it. */
  static void reset() {
    try {
      Files.createDirectories(DIRECTORY);
      try (Stream<Path> files = Files.list(DIRECTORY)) {
        for (Path file : files.toList()) {
          if (!List.of("m1.yaml", "m2.yaml", "m3.yaml").contains(file.getFileName().toString())) {
            Files.delete(file);
          }
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    write("m1", counting("m1", 1));
    write("m2", counting("m2", 2));
    write("m3", counting("m3", 3));
  }

  static String address(String machine) {
    return "127.0.0." + (50 + Integer.parseInt(machine.substring(1)));
  }

  static String url(String machine) {
    return "http://" + address(machine) + ":" + PORT;
  }

  /** endpoint → js (adds one to the message's n) → counter, as a machine of namespace "host". */
  static MachineConfig counting(String name, long serial) {
    return machine(name, serial, "export function receive(message, gear) { return { n: (message.body.n || 0) + 1 }; }");
  }

  static MachineConfig machine(String name, long serial, String jsSource) {
    MachineConfig base = TestConfigs.machine(new MachineConfig.Limits(1000, 1 << 20, 1000, 10_000_000, 100), Map.of(), List.of(
        new TestConfigs.Gearbox("flow").gear("in", "endpoint").js("step", jsSource).gear("count", "counter")
            .shaft("in", "step").shaft("step", "count").build()));
    return new MachineConfig(base.format(), new MachineConfig.Identity(name, "host", serial, name + ".host.svc.cluster.local"),
        base.clutch(), base.limits(), base.outboundHosts(), base.applicationData(), base.gearboxes(), base.routes(),
        new MachineConfig.Listener(address(name), PORT));
  }

  /** Replaces a machine's config file at once, as a ConfigMap update does. */
  static void write(String file, MachineConfig config) {
    writeText(file, MachineConfigCodec.toYaml(config));
  }

  static void writeText(String file, String text) {
    try {
      Path target = DIRECTORY.resolve(file + ".yaml");
      Path temporary = DIRECTORY.resolve(file + ".yaml.new");
      Files.writeString(temporary, text);
      Files.move(temporary, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static void delete(String file) {
    try {
      Files.deleteIfExists(DIRECTORY.resolve(file + ".yaml"));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
