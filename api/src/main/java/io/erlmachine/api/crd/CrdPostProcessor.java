package io.erlmachine.api.crd;

import com.fasterxml.jackson.annotation.JsonClassDescription;
import io.fabric8.crd.generator.annotation.AdditionalPrinterColumn;
import io.fabric8.crdv2.generator.CRDPostProcessor;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceColumnDefinition;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinitionVersion;
import io.fabric8.kubernetes.api.model.apiextensions.v1.JSONSchemaProps;
import io.fabric8.kubernetes.api.model.apiextensions.v1.ValidationRule;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.Type;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;

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
      describeStandardFields(version.getSchema().getOpenAPIV3Schema());
      describeTopLevel(kindClass(crd.getSpec().getNames().getKind()), version.getSchema().getOpenAPIV3Schema());
    }
    return crd;
  }

  private List<String> declaredColumnNames(String kind) {
    return Arrays.stream(kindClass(kind).getAnnotationsByType(AdditionalPrinterColumn.class)).map(AdditionalPrinterColumn::name).toList();
  }

  private Class<? extends HasMetadata> kindClass(String kind) {
    return kinds.stream().filter(type -> type.getSimpleName().equals(kind)).findFirst()
        .orElseThrow(() -> new IllegalStateException("no class for kind " + kind));
  }

  /** fabric8 ignores @JsonClassDescription; kubectl explain shows these for the kind, spec and status. */
  private static void describeTopLevel(Class<?> kindClass, JSONSchemaProps root) {
    describe(root, kindClass);
    if (kindClass.getGenericSuperclass() instanceof ParameterizedType parent) {
      Type[] specAndStatus = parent.getActualTypeArguments();
      describe(root.getProperties().get("spec"), (Class<?>) specAndStatus[0]);
      describe(root.getProperties().get("status"), (Class<?>) specAndStatus[1]);
    }
  }

  private static void describe(JSONSchemaProps schema, Class<?> type) {
    JsonClassDescription description = type.getAnnotation(JsonClassDescription.class);
    if (schema != null && description != null) {
      schema.setDescription(description.value());
    }
  }

  /** Descriptions for the fields of Kubernetes' own types (label selectors, conditions), which fabric8 leaves blank. */
  private static final Map<String, String> STANDARD_DESCRIPTIONS = Map.ofEntries(
      Map.entry("matchLabels", "Labels that must all be present with these values."),
      Map.entry("matchExpressions", "Label requirements that must all hold."),
      Map.entry("key", "The label key the requirement applies to."),
      Map.entry("operator", "In, NotIn, Exists or DoesNotExist."),
      Map.entry("values", "Label values for In and NotIn; empty for Exists and DoesNotExist."),
      Map.entry("type", "Type of the condition: Ready, Progressing, Degraded, Valid or Resolved."),
      Map.entry("status", "True, False or Unknown."),
      Map.entry("reason", "A CamelCase word saying why the condition has its status."),
      Map.entry("message", "What happened, in words, and what to do about it."),
      Map.entry("lastTransitionTime", "When the condition last changed status."),
      Map.entry("observedGeneration", "The metadata.generation the condition was set for."));

  private static void describeStandardFields(JSONSchemaProps schema) {
    if (schema == null) {
      return;
    }
    schema.getProperties().forEach((name, child) -> {
      if ((child.getDescription() == null || child.getDescription().isBlank()) && STANDARD_DESCRIPTIONS.containsKey(name)) {
        child.setDescription(STANDARD_DESCRIPTIONS.get(name));
      }
      describeStandardFields(child);
    });
    if (schema.getItems() != null) {
      describeStandardFields(schema.getItems().getSchema());
    }
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
