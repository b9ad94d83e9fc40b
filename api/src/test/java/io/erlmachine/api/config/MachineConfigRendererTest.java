package io.erlmachine.api.config;

import static org.assertj.core.api.Assertions.assertThat;

import io.erlmachine.api.v1alpha1.Machine;
import io.erlmachine.api.v1alpha1.spec.Clutch;
import io.erlmachine.api.v1alpha1.spec.EngineLimits;
import io.erlmachine.api.v1alpha1.spec.MachinePermissions;
import io.erlmachine.api.v1alpha1.spec.MachineSpec;
import io.erlmachine.api.v1alpha1.spec.OutboundHost;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class MachineConfigRendererTest {
  private final MachineConfigRenderer renderer = new MachineConfigRenderer();

  @Test
  void appliesDefaultsWhenTheSpecIsEmpty() {
    MachineConfig config = renderer.render(machine(new MachineSpec(null, null, null, null, null, null)), inputs(Map.of()));
    assertThat(config.format()).isEqualTo(MachineConfig.FORMAT);
    assertThat(config.machine()).isEqualTo(new MachineConfig.Identity("m1", "ns", 7, "m1.ns.svc.cluster.local"));
    assertThat(config.clutch()).isEqualTo("Engaged");
    assertThat(config.limits()).isEqualTo(new MachineConfig.Limits(1000, 1024 * 1024, 2000, 10_000_000L, 256));
    assertThat(config.outboundHosts()).isEmpty();
  }

  @Test
  void carriesLimitsPermissionsClutchAndApplicationData() {
    MachineSpec spec = new MachineSpec(null, Clutch.Disengaged, null,
        new EngineLimits(50, "64Ki", "1m30s", 5000L, 12, "96Mi"), new MachinePermissions(List.of(new OutboundHost("api.example.com", 8443), new OutboundHost("*.example.org", null)), null), null);
    MachineConfig config = renderer.render(machine(spec), inputs(Map.of("b", "2", "a", "1")));
    assertThat(config.clutch()).isEqualTo("Disengaged");
    assertThat(config.limits()).isEqualTo(new MachineConfig.Limits(50, 64 * 1024, 90_000, 5000L, 12, 96L << 20));
    assertThat(config.outboundHosts()).containsExactly("api.example.com:8443", "*.example.org");
    assertThat(config.applicationData()).containsExactly(Map.entry("a", "1"), Map.entry("b", "2"));
  }

  @Test
  void rendersTheSameBytesForTheSameInputsAndRoundTrips() {
    MachineSpec spec = new MachineSpec(null, null, null, new EngineLimits(10, "2Mi", "3s", 2000L, 4, null), null, null);
    String first = MachineConfigCodec.toYaml(renderer.render(machine(spec), inputs(Map.of("z", "1", "y", "2"))));
    String second = MachineConfigCodec.toYaml(renderer.render(machine(spec), inputs(Map.of("y", "2", "z", "1"))));
    assertThat(first).isEqualTo(second);
    assertThat(MachineConfigCodec.toYaml(MachineConfigCodec.fromYaml(first))).isEqualTo(first);
  }

  private static MachineConfigRenderer.Inputs inputs(Map<String, String> data) {
    return new MachineConfigRenderer.Inputs(7, "m1.ns.svc.cluster.local", data, List.of(), List.of());
  }

  private static Machine machine(MachineSpec spec) {
    Machine machine = new Machine();
    machine.setMetadata(new ObjectMetaBuilder().withName("m1").withNamespace("ns").build());
    machine.setSpec(spec);
    return machine;
  }
}
