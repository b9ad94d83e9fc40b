package io.erlmachine.bench;

import io.erlmachine.api.host.HostContract;
import io.erlmachine.api.host.MachineReports;
import io.erlmachine.operator.host.HostBlueprint;
import io.fabric8.kubernetes.api.model.coordination.v1.Lease;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/** Machines the hosts of some namespaces report ready on their Leases, read from the API once a second. */
final class ReadyReports {
  private final KubernetesClient client;
  private final Duration timeout;

  ReadyReports(KubernetesClient client, Duration timeout) {
    this.client = client;
    this.timeout = timeout;
  }

  void await(List<String> namespaces, int machines) throws InterruptedException {
    Instant deadline = Instant.now().plus(timeout);
    long ready = 0;
    while (Instant.now().isBefore(deadline)) {
      ready = namespaces.stream().mapToLong(this::readyIn).sum();
      if (ready >= machines) {
        return;
      }
      Thread.sleep(1000);
    }
    throw new IllegalStateException("the hosts report only " + ready + " of " + machines + " machines ready after " + timeout);
  }

  private long readyIn(String namespace) {
    long ready = 0;
    for (Lease lease : client.leases().inNamespace(namespace).withLabel(HostBlueprint.COMPONENT_LABEL, HostContract.COMPONENT).list().getItems()) {
      Map<String, String> annotations = lease.getMetadata().getAnnotations();
      String json = annotations == null ? null : annotations.get(HostContract.REPORTS_ANNOTATION);
      ready += MachineReports.fromJson(json).values().stream().filter(MachineReports.Report::ready).count();
    }
    return ready;
  }
}
