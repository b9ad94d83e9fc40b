package io.erlmachine.operator.machine;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.client.informers.cache.ItemStore;
import io.fabric8.kubernetes.client.informers.cache.ReducedStateItemStore;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;

/**
 * What the operator keeps of each engine pod: identity, labels and status, from which the
 * Machine's readiness and problems are read, and the node it was scheduled to, which a shared
 * machine's EndpointSlice names for its host pod. The rest of the pod spec (most of a pod) is not
 * kept: at 1,000 machines it would be a large part of the operator's heap, and nothing reads it.
 */
final class EnginePodState {
  private EnginePodState() {
  }

  static ItemStore<Pod> store(KubernetesSerialization serialization) {
    return new ReducedStateItemStore<>(ReducedStateItemStore.NAME_KEY_STATE, Pod.class, serialization,
        "metadata.uid", "metadata.resourceVersion", "metadata.generation", "metadata.labels", "metadata.ownerReferences",
        "metadata.deletionTimestamp", "spec.nodeName", "status");
  }
}
