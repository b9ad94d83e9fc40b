package io.erlmachine.api.manifests;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.MappingIterator;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.erlmachine.api.v1alpha1.ApiGroup;
import io.erlmachine.api.v1alpha1.Gearbox;
import io.erlmachine.api.v1alpha1.Machine;
import io.erlmachine.api.v1alpha1.Transmission;
import io.fabric8.kubernetes.api.model.ConfigMap;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/**
 * The Erlmachine resources (and the ConfigMaps they reference) in a set of YAML manifests, as
 * kubectl apply -f would read them: every .yaml or .yml file of a directory, several documents
 * per file. Other kinds are ignored.
 */
public record ManifestSet(List<Machine> machines, List<Gearbox> gearboxes, List<Transmission> transmissions,
                          List<ConfigMap> configMaps) {
  private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory())
      .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);

  public static ManifestSet read(Path directory) {
    List<Path> files;
    try (Stream<Path> listing = Files.list(directory)) {
      files = listing.filter(f -> f.toString().endsWith(".yaml") || f.toString().endsWith(".yml")).sorted().toList();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot list " + directory, e);
    }
    ManifestSet set = new ManifestSet(new ArrayList<>(), new ArrayList<>(), new ArrayList<>(), new ArrayList<>());
    for (Path file : files) {
      try {
        set.add(Files.readString(file), file.toString());
      } catch (IOException e) {
        throw new UncheckedIOException("cannot read " + file, e);
      }
    }
    return set;
  }

  public static ManifestSet parse(String yaml) {
    ManifestSet set = new ManifestSet(new ArrayList<>(), new ArrayList<>(), new ArrayList<>(), new ArrayList<>());
    set.add(yaml, "<text>");
    return set;
  }

  private void add(String yaml, String origin) {
    try (MappingIterator<JsonNode> documents = YAML.readerFor(JsonNode.class).readValues(yaml)) {
      while (documents.hasNext()) {
        JsonNode document = documents.next();
        if (document == null || document.isNull() || document.isEmpty()) {
          continue;
        }
        String kind = document.path("kind").asText();
        String apiVersion = document.path("apiVersion").asText();
        if (apiVersion.startsWith(ApiGroup.NAME + "/")) {
          switch (kind) {
            case "Machine" -> machines.add(YAML.convertValue(document, Machine.class));
            case "Gearbox" -> gearboxes.add(YAML.convertValue(document, Gearbox.class));
            case "Transmission" -> transmissions.add(YAML.convertValue(document, Transmission.class));
            default -> throw new IllegalArgumentException(origin + ": unknown kind " + kind + " in " + apiVersion);
          }
        } else if ("v1".equals(apiVersion) && "ConfigMap".equals(kind)) {
          configMaps.add(YAML.convertValue(document, ConfigMap.class));
        }
      }
    } catch (IOException | IllegalArgumentException e) {
      throw new IllegalArgumentException(origin + ": " + e.getMessage(), e);
    }
  }
}
