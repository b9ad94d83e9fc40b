package io.erlmachine.operator.machine;

import io.erlmachine.api.v1alpha1.Machine;
import io.erlmachine.operator.serial.SerialAssigner;
import io.fabric8.kubernetes.api.model.EventBuilder;
import io.fabric8.kubernetes.api.model.ObjectReferenceBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.time.Instant;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.UUID;
import org.jboss.logging.Logger;

/**
 * Records the moments of a machine's life that need attention, or that status alone would hide, as Kubernetes events
 * (kubectl describe machine shows them): problems (Warning), a serial label or status.serial the operator replaced
 * (Warning), and a move between hosts (Normal). Routine moments (a serial assigned, becoming Ready) are not recorded:
 * status and kubectl get machines show them, and an event per machine would be an API object per machine.
 */
final class MachineEvents {
  private static final Logger LOG = Logger.getLogger(MachineEvents.class);
  private static final String COMPONENT = "erlmachine-operator";

  private final KubernetesClient client;

  MachineEvents(KubernetesClient client) {
    this.client = client;
  }

  void normal(Machine machine, String reason, String message) {
    record(machine, "Normal", reason, message);
  }

  void warning(Machine machine, String reason, String message) {
    record(machine, "Warning", reason, message);
  }

  void record(Machine machine, SerialAssigner.Notice notice) {
    record(machine, "Warning", notice.reason(), notice.message());
  }

  private void record(Machine machine, String type, String reason, String message) {
    String now = DateTimeFormatter.ISO_INSTANT.format(Instant.now().truncatedTo(ChronoUnit.SECONDS));
    var event = new EventBuilder()
        .withNewMetadata()
          .withName(machine.getMetadata().getName() + "." + UUID.randomUUID().toString().substring(0, 13).replace("-", ""))
          .withNamespace(machine.getMetadata().getNamespace())
        .endMetadata()
        .withInvolvedObject(new ObjectReferenceBuilder().withApiVersion(machine.getApiVersion()).withKind(machine.getKind())
            .withName(machine.getMetadata().getName()).withNamespace(machine.getMetadata().getNamespace())
            .withUid(machine.getMetadata().getUid()).build())
        .withType(type).withReason(reason).withMessage(message)
        .withNewSource().withComponent(COMPONENT).endSource()
        .withReportingComponent(COMPONENT)
        .withFirstTimestamp(now).withLastTimestamp(now).withCount(1)
        .build();
    try {
      client.v1().events().inNamespace(machine.getMetadata().getNamespace()).resource(event).create();
    } catch (KubernetesClientException e) {
      LOG.warnf("could not record event %s for machine %s/%s: %s", reason, machine.getMetadata().getNamespace(), machine.getMetadata().getName(), e.getMessage());
    }
  }
}
