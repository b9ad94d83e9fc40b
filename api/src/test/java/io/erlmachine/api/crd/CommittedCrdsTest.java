package io.erlmachine.api.crd;

import static org.assertj.core.api.Assertions.assertThat;

import io.erlmachine.testkit.Repository;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/** The CRDs committed in crds/ are exactly what the code generates. */
class CommittedCrdsTest {
  private static final String HOW_TO_FIX = "the committed CRDs are out of date; run ./mvnw -pl api process-classes -Pupdate-crds and commit crds/ and helm/erlmachine/crds/";

  @Test
  void committedCrdsMatchTheGeneratedOnes() throws IOException {
    assertSameAsGenerated(Repository.path("crds"));
  }

  @Test
  void theChartCarriesTheSameCrds() throws IOException {
    assertSameAsGenerated(Repository.path("helm/erlmachine/crds"));
  }

  @Test
  void committedMachineConfigSchemaMatchesTheGeneratedOne() throws IOException {
    Path generated = Path.of(System.getProperty("erlmachine.generated.schema", "target/machine-config.schema.json"));
    assertThat(Files.readString(Repository.path("docs/reference/machine-config.schema.json")))
        .as("the committed machine-config schema is out of date; run ./mvnw -pl api process-classes -Pupdate-crds")
        .isEqualTo(Files.readString(generated));
  }

  private static void assertSameAsGenerated(Path committed) throws IOException {
    Path generated = Path.of(System.getProperty("erlmachine.generated.crds", "target/crds"));
    assertThat(names(committed)).as(HOW_TO_FIX).containsExactlyElementsOf(names(generated));
    for (String name : names(generated)) {
      assertThat(Files.readString(committed.resolve(name))).as(HOW_TO_FIX + " (" + name + ")")
          .isEqualTo(Files.readString(generated.resolve(name)));
    }
  }

  private static java.util.List<String> names(Path dir) throws IOException {
    try (Stream<Path> files = Files.list(dir)) {
      return files.map(f -> f.getFileName().toString()).filter(n -> n.endsWith(".yml")).sorted().toList();
    }
  }
}
