package io.erlmachine.operator.machine;

import io.erlmachine.api.v1alpha1.Machine;
import io.erlmachine.api.v1alpha1.spec.Hosting;

/**
 * How a Machine is hosted. The CRD gives spec.hosting no default on purpose (a CRD default
 * also applies to stored objects when they are read, so every Machine created before shared
 * hosting would read as Shared); the operator decides once and records it in status.hosting.
 */
final class HostingDecision {
  private HostingDecision() {
  }

  static Hosting of(Machine machine) {
    if (machine.getSpec() != null && machine.getSpec().hosting() != null) {
      return machine.getSpec().hosting();
    }
    var status = machine.getStatus();
    if (status != null && status.hosting() != null) {
      return status.hosting();
    }
    // A Machine with a serial in its status was reconciled before shared hosting existed: it keeps its pod.
    return status != null && status.serial() != null ? Hosting.Dedicated : Hosting.Shared;
  }
}
