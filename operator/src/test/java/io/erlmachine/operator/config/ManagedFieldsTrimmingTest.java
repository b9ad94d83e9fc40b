package io.erlmachine.operator.config;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.erlmachine.api.v1alpha1.Machine;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import java.util.List;
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
