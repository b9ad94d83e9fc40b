package io.erlmachine.api.crd;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLParser;
import io.erlmachine.api.v1alpha1.Gearbox;
import io.erlmachine.api.v1alpha1.Machine;
import io.erlmachine.api.v1alpha1.Transmission;
import io.erlmachine.testkit.ApiServerExtension;
import io.erlmachine.testkit.Repository;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** The manifests in deploy/examples are valid and survive server-side apply and the Java model without loss. */
@ExtendWith(ApiServerExtension.class)
class ExamplesRoundTripTest {
  private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());
  private static final Map<String, Class<? extends HasMetadata>> TYPES = Map.of(
      "Machine", Machine.class, "Gearbox", Gearbox.class, "Transmission", Transmission.class);

  @Test
  void examplesSurviveServerSideApply(KubernetesClient client) throws IOException {
    String namespace = "examples";
    client.namespaces().resource(new NamespaceBuilder().withNewMetadata().withName(namespace).endMetadata().build()).serverSideApply();
    List<JsonNode> documents = exampleDocuments();
    assertThat(documents).isNotEmpty();
    for (JsonNode document : documents) {
      GenericKubernetesResource applied = client.resource(YAML.treeToValue(document, GenericKubernetesResource.class))
          .inNamespace(namespace).fieldManager("examples-test").forceConflicts().serverSideApply();
      JsonNode stored = YAML.valueToTree(applied);
      assertContains(document.get("spec"), stored.get("spec"), document.get("kind").asText() + "/" + document.at("/metadata/name").asText() + " spec");
    }
  }

  @Test
  void examplesSurviveTheJavaModel() throws IOException {
    for (JsonNode document : exampleDocuments()) {
      Class<? extends HasMetadata> type = TYPES.get(document.get("kind").asText());
      assertThat(type).as("kind " + document.get("kind")).isNotNull();
      JsonNode reserialized = YAML.valueToTree(YAML.treeToValue(document, type));
      assertContains(document, reserialized, document.get("kind").asText() + "/" + document.at("/metadata/name").asText());
    }
  }

  /** Every field of expected is in actual with an equal value; actual may hold more (server defaults). */
  private static void assertContains(JsonNode expected, JsonNode actual, String path) {
    assertThat(actual).as(path + " is missing").isNotNull();
    if (expected.isObject()) {
      for (Iterator<Map.Entry<String, JsonNode>> fields = expected.fields(); fields.hasNext(); ) {
        Map.Entry<String, JsonNode> field = fields.next();
        assertContains(field.getValue(), actual.get(field.getKey()), path + "." + field.getKey());
      }
    } else if (expected.isArray()) {
      assertThat(actual.size()).as(path + " size").isEqualTo(expected.size());
      for (int i = 0; i < expected.size(); i++) {
        assertContains(expected.get(i), actual.get(i), path + "[" + i + "]");
      }
    } else if (expected.isNumber()) {
      assertThat(actual.decimalValue()).as(path).isEqualByComparingTo(expected.decimalValue());
    } else {
      assertThat(actual.asText()).as(path).isEqualTo(expected.asText());
    }
  }

  static List<JsonNode> exampleDocuments() throws IOException {
    List<JsonNode> documents = new ArrayList<>();
    try (Stream<Path> files = Files.walk(Repository.path("deploy/examples"))) {
      for (Path file : files.filter(f -> f.toString().endsWith(".yaml")).sorted().toList()) {
        try (YAMLParser parser = new YAMLFactory().createParser(file.toFile())) {
          YAML.readValues(parser, JsonNode.class).forEachRemaining(node -> {
            if (node != null && !node.isEmpty()) {
              documents.add(node);
            }
          });
        }
      }
    }
    return documents;
  }
}
