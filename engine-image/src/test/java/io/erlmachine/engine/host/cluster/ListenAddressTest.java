package io.erlmachine.engine.host.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import io.erlmachine.api.config.MachineConfig;
import io.erlmachine.api.config.MachineConfigCodec;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class ListenAddressTest {
  private static final String CONFIG = MachineConfigCodec.toYaml(new MachineConfig("erlmachine.io/machine-config/v1alpha1",
      new MachineConfig.Identity("orders", "demo", 7, "orders.demo.svc.cluster.local"), null, null, List.of(), Map.of(), List.of(), List.of())
      .withListener(new MachineConfig.Listener("0.0.0.0", 20003)));

  @Test
  void theOverrideMovesTheListenerAndKeepsItsPortAndTheRestOfTheConfig() {
    MachineConfig moved = MachineConfigCodec.fromYaml(new ListenAddress(Optional.of("127.0.0.1")).apply(CONFIG));
    assertThat(moved.listener()).isEqualTo(new MachineConfig.Listener("127.0.0.1", 20003));
    assertThat(moved.withListener(new MachineConfig.Listener("0.0.0.0", 20003))).isEqualTo(MachineConfigCodec.fromYaml(CONFIG));
  }

  @Test
  void withoutAnOverrideOrAReadableConfigTheTextStaysAsItIs() {
    assertThat(new ListenAddress(Optional.empty()).apply(CONFIG)).isEqualTo(CONFIG);
    assertThat(new ListenAddress(Optional.of(" ")).apply(CONFIG)).isEqualTo(CONFIG);
    String broken = "format: erlmachine.io/machine-config/v1alpha1\nmachine: [not, a, map]\n";
    assertThat(new ListenAddress(Optional.of("127.0.0.1")).apply(broken)).isEqualTo(broken);
  }
}
