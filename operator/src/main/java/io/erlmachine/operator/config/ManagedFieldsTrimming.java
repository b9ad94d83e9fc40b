package io.erlmachine.operator.config;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.annotation.JsonDeserialize;
import com.fasterxml.jackson.databind.deser.std.StdDeserializer;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.FieldsV1;
import io.fabric8.kubernetes.api.model.ObjectMeta;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.client.CustomResource;
import io.quarkus.kubernetes.client.KubernetesClientObjectMapperCustomizer;
import jakarta.inject.Singleton;
import java.io.IOException;

/**
 * Drops {@code metadata.managedFields} when the operator reads Pods, ConfigMaps and its own
 * custom resources: with 1,000 machines those entries were the largest part of the operator's
 * heap, and nothing reads them. The kinds whose server-side-apply matching needs the entries
 * (ServiceAccount, Service, EndpointSlice, NetworkPolicy, StatefulSet) keep them, read so that
 * equal field sets are one object ({@link SharedFieldSets}). Writing such an object back is
 * safe: a write without managedFields leaves the stored entries as they are.
 */
@Singleton
public class ManagedFieldsTrimming implements KubernetesClientObjectMapperCustomizer {
  @Override
  public void customize(ObjectMapper mapper) {
    mapper.addMixIn(Pod.class, WithoutManagedFields.class);
    mapper.addMixIn(ConfigMap.class, WithoutManagedFields.class);
    mapper.addMixIn(CustomResource.class, WithoutManagedFields.class);
    mapper.addMixIn(FieldsV1.class, FieldSetsShared.class);
  }

  @JsonDeserialize(using = SharedFieldSets.class)
  abstract static class FieldSetsShared {
  }

  abstract static class WithoutManagedFields {
    @JsonDeserialize(using = MetadataWithoutManagedFields.class)
    abstract void setMetadata(ObjectMeta metadata);
  }

  static final class MetadataWithoutManagedFields extends StdDeserializer<ObjectMeta> {
    MetadataWithoutManagedFields() {
      super(ObjectMeta.class);
    }

    @Override
    public ObjectMeta deserialize(JsonParser parser, DeserializationContext context) throws IOException {
      ObjectMeta metadata = context.readValue(parser, ObjectMeta.class);
      metadata.setManagedFields(null);
      return metadata;
    }
  }
}
