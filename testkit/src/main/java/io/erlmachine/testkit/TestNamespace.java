package io.erlmachine.testkit;

import io.fabric8.kubernetes.client.KubernetesClient;

/** A namespace of its own for one test, in the shared test cluster. */
public record TestNamespace(String name, KubernetesClient client, Kubectl kubectl) {
}
