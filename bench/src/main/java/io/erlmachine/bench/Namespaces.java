package io.erlmachine.bench;

import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.time.Duration;
import java.time.Instant;

/** Namespaces a benchmark phase runs in. */
final class Namespaces {
  private Namespaces() {
  }

  static void create(KubernetesClient client, String name) {
    client.namespaces().resource(new NamespaceBuilder().withNewMetadata().withName(name).endMetadata().build()).serverSideApply();
  }

  /** Deletes the namespace and waits (at most {@code patience}) until it and everything in it are gone. */
  static void delete(KubernetesClient client, String name, Duration patience) throws InterruptedException {
    client.namespaces().withName(name).delete();
    Instant deadline = Instant.now().plus(patience);
    while (client.namespaces().withName(name).get() != null && Instant.now().isBefore(deadline)) {
      Thread.sleep(1000);
    }
  }
}
