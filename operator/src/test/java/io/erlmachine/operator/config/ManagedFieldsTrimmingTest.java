package io.erlmachine.operator.config;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.erlmachine.api.v1alpha1.Machine;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ManagedFieldsTrimmingTest {
  private final ObjectMapper mapper = new ObjectMapper();

  ManagedFieldsTrimmingTest() {
    new ManagedFieldsTrimming().customize(mapper);
  }

  @Test
  void podsConfigMapsAndMachinesAreReadWithoutManagedFieldsButWithEverythingElse() throws Exception {
    for (Class<? extends HasMetadata> kind : List.of(Pod.class, ConfigMap.class, Machine.class)) {
      HasMetadata read = mapper.readValue(object(kind.getSimpleName()), kind);
      assertThat(read.getMetadata().getManagedFields()).as(kind.getSimpleName()).isNull();
      assertThat(read.getMetadata().getName()).isEqualTo("m1");
      assertThat(read.getMetadata().getLabels()).containsEntry("erlmachine.io/serial", "7");
    }
  }

  @Test
  void statefulSetsKeepTheEntriesServerSideApplyMatchingCompares() throws Exception {
    StatefulSet read = mapper.readValue(object("StatefulSet"), StatefulSet.class);
    assertThat(read.getMetadata().getManagedFields()).singleElement()
        .satisfies(entry -> assertThat(entry.getManager()).isEqualTo("machine"));
  }

  @Test
  @SuppressWarnings("unchecked")
  void equalFieldSetsOfDifferentObjectsAreReadAsOneAndWrittenAsRead() throws Exception {
    Service first = mapper.readValue(service("m1", "uid-1"), Service.class);
    Service second = mapper.readValue(service("m2", "uid-2"), Service.class);

    Map<String, Object> firstFields = first.getMetadata().getManagedFields().getFirst().getFieldsV1().getAdditionalProperties();
    Map<String, Object> secondFields = second.getMetadata().getManagedFields().getFirst().getFieldsV1().getAdditionalProperties();
    assertThat(firstFields.get("f:spec")).as("the same ports and type: one object").isSameAs(secondFields.get("f:spec"));
    assertThat(firstFields.get("f:metadata")).as("owner references differ").isNotEqualTo(secondFields.get("f:metadata"));
    assertThat(((Map<?, ?>) firstFields.get("f:metadata")).get("f:labels")).isSameAs(((Map<?, ?>) secondFields.get("f:metadata")).get("f:labels"));
    assertThat(((Map<String, Object>) firstFields.get("f:spec")).keySet()).as("order kept").containsExactly(".", "f:ports", "f:type");

    Service again = mapper.readValue(mapper.writeValueAsString(first), Service.class);
    assertThat(again.getMetadata().getManagedFields()).isEqualTo(first.getMetadata().getManagedFields());
  }

  private static String service(String name, String uid) {
    return """
        {"apiVersion": "v1", "kind": "Service",
         "metadata": {"name": "%s", "managedFields": [{"manager": "machine", "operation": "Apply", "apiVersion": "v1", "fieldsType": "FieldsV1",
           "fieldsV1": {"f:metadata": {"f:labels": {".": {}, "f:erlmachine.io/machine": {}, "f:erlmachine.io/serial": {}},
                                       "f:ownerReferences": {".": {}, "k:{\\"uid\\":\\"%s\\"}": {}}},
                        "f:spec": {".": {}, "f:ports": {".": {}, "k:{\\"port\\":80,\\"protocol\\":\\"TCP\\"}": {".": {}, "f:name": {}, "f:port": {}}},
                                   "f:type": {}}}}]}}
        """.formatted(name, uid);
  }

  private static String object(String kind) {
    String apiVersion = switch (kind) {
      case "Machine" -> "erlmachine.io/v1alpha1";
      case "StatefulSet" -> "apps/v1";
      default -> "v1";
    };
    return """
        {"apiVersion": "%s", "kind": "%s",
         "metadata": {"name": "m1", "labels": {"erlmachine.io/serial": "7"},
           "managedFields": [{"manager": "machine", "operation": "Apply", "apiVersion": "v1", "fieldsType": "FieldsV1",
                              "fieldsV1": {"f:metadata": {"f:labels": {"f:erlmachine.io/serial": {}}}}}]}}
        """.formatted(apiVersion, kind);
  }
}
