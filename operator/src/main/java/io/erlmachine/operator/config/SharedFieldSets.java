package io.erlmachine.operator.config;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.deser.std.StdDeserializer;
import io.fabric8.kubernetes.api.model.FieldsV1;
import java.io.IOException;
import java.lang.ref.WeakReference;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.WeakHashMap;

/**
 * Reads server-side-apply field sets ({@code metadata.managedFields[].fieldsV1}) so that equal parts are one object.
 * The kinds whose apply matching compares these entries (Services, EndpointSlices and the host objects) keep them, and
 * with 10,000 shared machines they were tens of thousands of small maps of which all but a few keys are the same for
 * every machine (the label names, the ports; only an owner reference's uid differs). Each nested field set is made
 * unmodifiable and replaced by the equal one already read, if any; nothing keeps a field set alive once no cached
 * object refers to it. Readers only read them (java-operator-sdk's apply matcher walks them).
 */
final class SharedFieldSets extends StdDeserializer<FieldsV1> {
  private static final TypeReference<LinkedHashMap<String, Object>> TREE = new TypeReference<>() {
  };
  private static final Map<Map<String, Object>, WeakReference<Map<String, Object>>> CANONICAL = new WeakHashMap<>();

  SharedFieldSets() {
    super(FieldsV1.class);
  }

  @Override
  public FieldsV1 deserialize(JsonParser parser, DeserializationContext context) throws IOException {
    Map<String, Object> tree = context.readValue(parser, context.getTypeFactory().constructType(TREE));
    FieldsV1 fields = new FieldsV1();
    if (tree != null) {
      tree.forEach((key, value) -> fields.setAdditionalProperty(key, shared(value)));
    }
    return fields;
  }

  /** The one unmodifiable instance of this field set (of its nested sets too); anything that is not a map as it is. */
  @SuppressWarnings("unchecked")
  static Object shared(Object value) {
    if (!(value instanceof Map<?, ?> map)) {
      return value;
    }
    Map<String, Object> children = new LinkedHashMap<>();
    ((Map<String, Object>) map).forEach((key, child) -> children.put(key, shared(child)));
    Map<String, Object> candidate = Collections.unmodifiableMap(children);
    synchronized (CANONICAL) {
      WeakReference<Map<String, Object>> known = CANONICAL.get(candidate);
      Map<String, Object> canonical = known == null ? null : known.get();
      if (canonical != null) {
        return canonical;
      }
      CANONICAL.put(candidate, new WeakReference<>(candidate));
      return candidate;
    }
  }
}
