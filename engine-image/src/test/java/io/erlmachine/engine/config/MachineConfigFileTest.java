package io.erlmachine.engine.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.erlmachine.api.config.MachineConfig;
import io.erlmachine.api.config.MachineConfigCodec;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class MachineConfigFileTest {
  @TempDir
  Path dir;

  @Test
  void loadsWhatTheOperatorRenders() throws IOException {
    MachineConfig rendered = new MachineConfig(MachineConfig.FORMAT, new MachineConfig.Identity("m1", "ns", 12, "m1.ns.svc.cluster.local"),
        "Engaged", new MachineConfig.Limits(10, 1024, 2000, 5000, 4), List.of("api.example.com"), Map.of("k", "v"), List.of(), List.of());
    Path file = Files.writeString(dir.resolve("machine.yaml"), MachineConfigCodec.toYaml(rendered));
    assertThat(MachineConfigFile.load(file)).isEqualTo(rendered);
  }

  @Test
  void rejectsAnotherFormatWithAClearMessage() throws IOException {
    Path file = Files.writeString(dir.resolve("machine.yaml"), "format: something/else\n");
    assertThatThrownBy(() -> MachineConfigFile.load(file)).hasMessageContaining("unsupported machine config format something/else");
  }

  @Test
  void reportsAMissingFile() {
    assertThatThrownBy(() -> MachineConfigFile.load(dir.resolve("absent.yaml"))).hasMessageContaining("cannot read machine config");
  }
}
