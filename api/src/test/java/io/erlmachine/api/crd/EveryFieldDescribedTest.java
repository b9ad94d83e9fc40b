package io.erlmachine.api.crd;

import static org.assertj.core.api.Assertions.assertThat;

import io.erlmachine.testkit.Crds;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.api.model.apiextensions.v1.JSONSchemaProps;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** kubectl explain has something to say about every field of every kind. */
class EveryFieldDescribedTest {
  private static final Set<String> STANDARD_FIELDS = Set.of("apiVersion", "kind", "metadata");

  @Test
  void everyFieldHasADescription() throws IOException {
    List<String> undescribed = new ArrayList<>();
    for (Path file : Crds.files()) {
      try (InputStream in = Files.newInputStream(file)) {
        CustomResourceDefinition crd = Serialization.unmarshal(in, CustomResourceDefinition.class);
        JSONSchemaProps root = crd.getSpec().getVersions().get(0).getSchema().getOpenAPIV3Schema();
        assertThat(root.getDescription()).as(crd.getSpec().getNames().getKind() + " description").isNotBlank();
        root.getProperties().forEach((name, schema) -> {
          if (!STANDARD_FIELDS.contains(name)) {
            collectUndescribed(crd.getSpec().getNames().getKind() + "." + name, schema, undescribed);
          }
        });
      }
    }
    assertThat(undescribed).as("fields without a description").isEmpty();
  }

  private static void collectUndescribed(String path, JSONSchemaProps schema, List<String> undescribed) {
    if (schema.getDescription() == null || schema.getDescription().isBlank()) {
      undescribed.add(path);
    }
    schema.getProperties().forEach((name, child) -> collectUndescribed(path + "." + name, child, undescribed));
    if (schema.getItems() != null && schema.getItems().getSchema() != null) {
      schema.getItems().getSchema().getProperties().forEach((name, child) -> collectUndescribed(path + "[]." + name, child, undescribed));
    }
  }
}
