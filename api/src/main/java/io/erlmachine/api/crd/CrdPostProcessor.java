package io.erlmachine.api.crd;

import io.fabric8.crd.generator.annotation.AdditionalPrinterColumn;
import io.fabric8.crdv2.generator.CRDPostProcessor;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceColumnDefinition;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinitionVersion;
import io.fabric8.kubernetes.api.model.apiextensions.v1.JSONSchemaProps;
import io.fabric8.kubernetes.api.model.apiextensions.v1.ValidationRule;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;

/**
 * Two corrections to fabric8's output: printer columns appear in the order they are declared
 * on the class (fabric8 sorts them by JSONPath), and a validation rule declared on a record
 * component appears once (fabric8 finds it on both the field and the accessor).
 */
final class CrdPostProcessor implements CRDPostProcessor {
  private final List<Class<? extends HasMetadata>> kinds;

  CrdPostProcessor(List<Class<? extends HasMetadata>> kinds) {
    this.kinds = kinds;
  }

  @Override
  public HasMetadata process(HasMetadata resource, String crdSpecVersion) {
    CustomResourceDefinition crd = (CustomResourceDefinition) resource;
    List<String> declaredColumns = declaredColumnNames(crd.getSpec().getNames().getKind());
    for (CustomResourceDefinitionVersion version : crd.getSpec().getVersions()) {
      List<CustomResourceColumnDefinition> columns = new ArrayList<>(version.getAdditionalPrinterColumns());
      columns.sort(Comparator.comparingInt(column -> declaredColumns.indexOf(column.getName())));
      version.setAdditionalPrinterColumns(columns);
      removeDuplicateRules(version.getSchema().getOpenAPIV3Schema());
    }
    return crd;
  }

  private List<String> declaredColumnNames(String kind) {
    return kinds.stream()
        .filter(type -> type.getSimpleName().equals(kind))
        .findFirst()
        .map(type -> Arrays.stream(type.getAnnotationsByType(AdditionalPrinterColumn.class)).map(AdditionalPrinterColumn::name).toList())
        .orElseThrow(() -> new IllegalStateException("no class for kind " + kind));
  }

  private static void removeDuplicateRules(JSONSchemaProps schema) {
    if (schema == null) {
      return;
    }
    List<ValidationRule> rules = schema.getXKubernetesValidations();
    if (rules != null && !rules.isEmpty()) {
      schema.setXKubernetesValidations(new ArrayList<>(new LinkedHashSet<>(rules)));
    }
    schema.getProperties().values().forEach(CrdPostProcessor::removeDuplicateRules);
    if (schema.getItems() != null) {
      removeDuplicateRules(schema.getItems().getSchema());
    }
    if (schema.getAdditionalProperties() != null) {
      removeDuplicateRules(schema.getAdditionalProperties().getSchema());
    }
  }
}
