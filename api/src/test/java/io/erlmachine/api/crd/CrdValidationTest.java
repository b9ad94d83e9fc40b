package io.erlmachine.api.crd;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.erlmachine.testkit.ApiServerExtension;
import io.erlmachine.testkit.Crds;
import io.erlmachine.testkit.Manifests;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.api.model.apiextensions.v1.JSONSchemaProps;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every schema and CEL rule, checked by a real kube-apiserver: each file in
 * src/test/resources/rejected breaks one rule and names (in its first line) the message the
 * API server must answer with.
 */
@ExtendWith(ApiServerExtension.class)
class CrdValidationTest {
  private static final Path REJECTED = Path.of("src/test/resources/rejected");
  private static final String HEADER = "# rejected: ";
  private static final String NAMESPACE = "default";

  record RejectedCase(String name, String expectedMessage, GenericKubernetesResource manifest) {
    @Override
    public String toString() {
      return name;
    }
  }

  static Stream<RejectedCase> rejectedCases() {
    try (Stream<Path> files = Files.list(REJECTED)) {
      return files.sorted().map(CrdValidationTest::load).toList().stream();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("rejectedCases")
  void apiServerRejectsWithTheRulesMessage(RejectedCase rejected, KubernetesClient client) {
    assertThatThrownBy(() -> client.resource(rejected.manifest()).inNamespace(NAMESPACE).dryRun().create())
        .isInstanceOf(KubernetesClientException.class)
        .satisfies(e -> assertThat(((KubernetesClientException) e).getCode()).isEqualTo(422))
        .hasMessageContaining(rejected.expectedMessage());
  }

  @Test
  void minimalManifestsOfEveryKindAreAccepted(KubernetesClient client) {
    // The control: a minimal manifest of each kind is accepted, so rejections come from the broken rule.
    for (String manifest : List.of(
        "{apiVersion: erlmachine.io/v1alpha1, kind: Machine, metadata: {name: m}, spec: {}}",
        "{apiVersion: erlmachine.io/v1alpha1, kind: Gearbox, metadata: {name: gb}, spec: {gears: [{name: a, prototype: log}]}}",
        "{apiVersion: erlmachine.io/v1alpha1, kind: Transmission, metadata: {name: tx}, spec: {pattern: PubSub, from: {machine: a, gearbox: g, gear: x}, to: [{machine: b, gearbox: g, gear: y}]}}")) {
      GenericKubernetesResource resource = Manifests.parse(manifest);
      assertThat(client.resource(resource).inNamespace(NAMESPACE).dryRun().create()).isNotNull();
    }
  }

  @Test
  void everyCelRuleHasARejectedCase() {
    List<String> expected = rejectedCases().map(RejectedCase::expectedMessage).toList();
    List<String> uncovered = celMessages().stream()
        .filter(message -> expected.stream().noneMatch(message::startsWith))
        .distinct().toList();
    assertThat(uncovered).as("CEL rules without a case in " + REJECTED).isEmpty();
  }

  private static List<String> celMessages() {
    List<String> messages = new ArrayList<>();
    for (Path file : Crds.files()) {
      try (InputStream in = Files.newInputStream(file)) {
        CustomResourceDefinition crd = io.fabric8.kubernetes.client.utils.Serialization.unmarshal(in, CustomResourceDefinition.class);
        crd.getSpec().getVersions().forEach(v -> collectMessages(v.getSchema().getOpenAPIV3Schema(), messages));
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
    return messages;
  }

  private static void collectMessages(JSONSchemaProps schema, List<String> messages) {
    if (schema == null) {
      return;
    }
    if (schema.getXKubernetesValidations() != null) {
      schema.getXKubernetesValidations().forEach(rule -> messages.add(rule.getMessage()));
    }
    schema.getProperties().values().forEach(child -> collectMessages(child, messages));
    if (schema.getItems() != null) {
      collectMessages(schema.getItems().getSchema(), messages);
    }
  }

  private static RejectedCase load(Path file) {
    try {
      String text = Files.readString(file);
      String firstLine = text.lines().findFirst().orElse("");
      if (!firstLine.startsWith(HEADER)) {
        throw new IllegalStateException(file + " must start with '" + HEADER + "<expected message>'");
      }
      GenericKubernetesResource manifest = Manifests.parse(text);
      return new RejectedCase(file.getFileName().toString().replace(".yaml", ""), firstLine.substring(HEADER.length()).strip(), manifest);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

}
