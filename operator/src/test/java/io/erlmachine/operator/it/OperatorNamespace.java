package io.erlmachine.operator.it;

import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;

/** The namespace the operator runs in (Lease, serial counter). */
final class OperatorNamespace {
  private OperatorNamespace() {
  }

  static void ensure(KubernetesClient client) {
    client.namespaces().resource(new NamespaceBuilder().withNewMetadata().withName(OperatorProcess.OPERATOR_NAMESPACE).endMetadata().build())
        .serverSideApply();
  }
}
