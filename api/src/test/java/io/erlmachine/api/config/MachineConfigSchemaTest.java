package io.erlmachine.api.config;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.SpecVersion;
import io.erlmachine.testkit.Repository;
import java.io.IOException;
import java.nio.file.Files;
import com.fasterxml.jackson.databind.node.IntNode;
import io.erlmachine.api.v1alpha1.spec.SelfTest;
import io.erlmachine.api.v1alpha1.spec.SelfTestExpectation;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The published JSON Schema accepts what the renderer writes and refuses what it never writes. */
class MachineConfigSchemaTest {
  private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());

  @Test
  void everyPartOfARenderedConfigIsValid() throws IOException {
    MachineConfig config = new MachineConfig(MachineConfig.FORMAT, new MachineConfig.Identity("m1", "ns", 3, "m1.ns.svc.cluster.local"), "Engaged",
        new MachineConfig.Limits(10, 1024, 2000, 5000, 4), List.of("api.example.com:443"), Map.of("region", "eu"),
        List.of(new MachineConfig.GearboxConfig("intake", "Engaged",
            List.of(new MachineConfig.GearConfig("stamp", "js", "export function receive(m) { return m.body; }", Map.of("level", "info"), 10, null)),
            List.of(new MachineConfig.ShaftConfig("stamp", "audit")), Map.of("rules", "export const max = 1;"),
            List.of(new SelfTest("t1", "stamp", IntNode.valueOf(1), Map.of(), new SelfTestExpectation(1, null, null))), 5, 30_000, true)),
        List.of(new MachineConfig.RouteConfig("to-archive", "PubSub", "intake", "stamp",
            List.of(new MachineConfig.TargetConfig("archive", "archive.ns.svc.cluster.local", "archive", "store")),
            new MachineConfig.Delivery(5, 100, 10_000, 5_000, "intake", "audit"), "Engaged")));
    JsonNode document = YAML.readTree(MachineConfigCodec.toYaml(config));
    assertThat(schema().validate(document)).isEmpty();
  }

  @Test
  void unknownFieldsAreRefused() throws IOException {
    ObjectNode document = (ObjectNode) YAML.readTree(MachineConfigCodec.toYaml(new MachineConfig(MachineConfig.FORMAT,
        new MachineConfig.Identity("m1", "ns", 3, "m1.ns.svc"), "Engaged", new MachineConfig.Limits(1, 1, 1, 1, 1), List.of(), Map.of(), List.of(), List.of())));
    document.put("surprise", true);
    assertThat(schema().validate(document)).isNotEmpty();
  }

  private static JsonSchema schema() throws IOException {
    return JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V202012)
        .getSchema(Files.readString(Repository.path("docs/reference/machine-config.schema.json")));
  }
}
