package io.erlmachine.api.config;

import com.fasterxml.jackson.databind.node.ObjectNode;
import com.github.victools.jsonschema.generator.Option;
import com.github.victools.jsonschema.generator.OptionPreset;
import com.github.victools.jsonschema.generator.SchemaGenerator;
import com.github.victools.jsonschema.generator.SchemaGeneratorConfigBuilder;
import com.github.victools.jsonschema.generator.SchemaVersion;
import com.github.victools.jsonschema.module.jackson.JacksonModule;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Writes the JSON Schema of {@link MachineConfig}, for engines and tools not written in Java.
 * The build writes it to target/; the update-crds profile to docs/reference/.
 */
public final class MachineConfigSchema {
  private MachineConfigSchema() {
  }

  public static void main(String[] args) throws IOException {
    SchemaGeneratorConfigBuilder config = new SchemaGeneratorConfigBuilder(SchemaVersion.DRAFT_2020_12, OptionPreset.PLAIN_JSON)
        .with(new JacksonModule())
        .with(Option.FORBIDDEN_ADDITIONAL_PROPERTIES_BY_DEFAULT, Option.MAP_VALUES_AS_ADDITIONAL_PROPERTIES);
    // A JsonNode (a self-test's input, an expected field value) is any JSON value.
    config.forTypesInGeneral().withCustomDefinitionProvider((type, context) ->
        type.getErasedType() == com.fasterxml.jackson.databind.JsonNode.class
            ? new com.github.victools.jsonschema.generator.CustomDefinition(context.getGeneratorConfig().createObjectNode(),
                com.github.victools.jsonschema.generator.CustomDefinition.DefinitionType.INLINE,
                com.github.victools.jsonschema.generator.CustomDefinition.AttributeInclusion.NO)
            : null);
    ObjectNode schema = new SchemaGenerator(config.build()).generateSchema(MachineConfig.class);
    schema.put("$id", "https://erlmachine.io/schemas/machine-config/v1alpha1.json");
    schema.put("title", "Erlmachine machine config (" + MachineConfig.FORMAT + ")");
    Path output = Path.of(args[0]);
    Files.createDirectories(output.toAbsolutePath().getParent());
    Files.writeString(output, schema.toPrettyString() + "\n");
  }
}
