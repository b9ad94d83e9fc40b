package io.erlmachine.testkit;

import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/** Installs the committed CRDs from {@code crds/}. */
public final class Crds {
  private Crds() {
  }

  public static List<Path> files() {
    try (Stream<Path> files = Files.list(Repository.path("crds"))) {
      return files.filter(f -> f.toString().endsWith(".yml") || f.toString().endsWith(".yaml")).sorted().toList();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Server-side applies every CRD and waits until the API server serves it, including in its OpenAPI document (kubectl explain reads that). */
  public static void install(KubernetesClient client) {
    for (Path file : files()) {
      try (InputStream in = Files.newInputStream(file)) {
        CustomResourceDefinition crd = client.getKubernetesSerialization().unmarshal(in, CustomResourceDefinition.class);
        client.apiextensions().v1().customResourceDefinitions().resource(crd).forceConflicts().serverSideApply();
        client.apiextensions().v1().customResourceDefinitions().withName(crd.getMetadata().getName())
            .waitUntilCondition(Crds::established, 60, TimeUnit.SECONDS);
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
    awaitOpenApi(client);
  }

  private static void awaitOpenApi(KubernetesClient client) {
    String url = client.getConfiguration().getMasterUrl() + "openapi/v3/apis/erlmachine.io/v1alpha1";
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
    while (System.nanoTime() < deadline) {
      try {
        String document = client.raw(url);
        if (document != null && document.contains("\"Machine\"") && document.contains("\"Gearbox\"") && document.contains("\"Transmission\"")) {
          return;
        }
      } catch (RuntimeException notYet) {
        // the group is not published yet
      }
      try {
        Thread.sleep(200);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      }
    }
    throw new IllegalStateException("the API server did not publish the erlmachine.io OpenAPI document within 60s");
  }

  private static boolean established(CustomResourceDefinition crd) {
    return crd != null && crd.getStatus() != null && crd.getStatus().getConditions() != null
        && crd.getStatus().getConditions().stream().anyMatch(c -> "Established".equals(c.getType()) && "True".equals(c.getStatus()));
  }
}
