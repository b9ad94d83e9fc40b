package io.erlmachine.operator.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.erlmachine.api.v1alpha1.ApiGroup;
import io.erlmachine.api.v1alpha1.Machine;
import io.erlmachine.testkit.TestNamespace;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/**
 * Serials are trusted only when the ledger says the operator assigned them to that Machine:
 * copied, invented or edited labels and status serials are replaced, with a Warning event.
 * This is the path without the admission policy (see SerialAdmissionPolicyIT for the other).
 */
class SerialLedgerIT extends WithRunningOperator {
  static final String LEDGER_LABEL = "erlmachine.io/serial-ledger";

  @Test
  void aCopiedManifestGetsItsOwnSerialAndIsToldWhy(TestNamespace namespace) {
    Fixtures.create(namespace, "{apiVersion: erlmachine.io/v1alpha1, kind: Machine, metadata: {name: gateway}, spec: {}}");
    Machine original = Fixtures.awaitReady(namespace, "gateway");
    long serial = original.getStatus().serial();

    Fixtures.create(namespace, "{apiVersion: erlmachine.io/v1alpha1, kind: Machine, metadata: {name: gateway-copy, labels: {"
        + "erlmachine.io/serial: '" + serial + "'}}, spec: {hosting: Dedicated}}");
    Machine copy = Fixtures.awaitReady(namespace, "gateway-copy");

    assertThat(copy.getStatus().serial()).isPositive().isNotEqualTo(serial);
    assertThat(copy.getMetadata().getLabels()).containsEntry(ApiGroup.SERIAL_LABEL, Long.toString(copy.getStatus().serial()));
    assertThat(namespace.client().pods().inNamespace(namespace.name()).withName("gateway-copy-0").get().getMetadata().getLabels())
        .containsEntry(ApiGroup.SERIAL_LABEL, Long.toString(copy.getStatus().serial()));
    assertThat(Fixtures.awaitReady(namespace, "gateway").getStatus().serial()).as("the original keeps its serial").isEqualTo(serial);
    Event replaced = onlyEvent(namespace, "gateway-copy", "SerialLabelReplaced");
    assertThat(replaced.getType()).isEqualTo("Warning");
    assertThat(replaced.getMessage()).contains(ApiGroup.SERIAL_LABEL + "=" + serial, "replaced with " + copy.getStatus().serial(),
        "belongs to Machine " + namespace.name() + "/gateway", "drop the erlmachine.io/serial label from a copied manifest");
    assertThat(events(namespace, "gateway")).extracting(Event::getReason).doesNotContain("SerialLabelReplaced");
    assertThat(ledger(namespace.client())).containsEntry(serial, original.getMetadata().getUid() + " " + namespace.name() + "/gateway")
        .containsEntry(copy.getStatus().serial(), copy.getMetadata().getUid() + " " + namespace.name() + "/gateway-copy");
  }

  @Test
  void anInventedSerialIsReplaced(TestNamespace namespace) {
    Fixtures.create(namespace, "{apiVersion: erlmachine.io/v1alpha1, kind: Machine, metadata: {name: invented, labels: {"
        + "erlmachine.io/serial: '999999999'}}, spec: {}}");
    Machine machine = Fixtures.awaitReady(namespace, "invented");

    assertThat(machine.getStatus().serial()).isNotEqualTo(999_999_999L);
    assertThat(machine.getMetadata().getLabels()).containsEntry(ApiGroup.SERIAL_LABEL, Long.toString(machine.getStatus().serial()));
    assertThat(onlyEvent(namespace, "invented", "SerialLabelReplaced").getMessage())
        .contains("the operator did not assign serial 999999999 to this Machine");
  }

  @Test
  void aLabelOrStatusSerialChangedByHandIsRestored(TestNamespace namespace) {
    Fixtures.create(namespace, "{apiVersion: erlmachine.io/v1alpha1, kind: Machine, metadata: {name: edited}, spec: {}}");
    long serial = Fixtures.awaitReady(namespace, "edited").getStatus().serial();

    namespace.kubectl().output("label", "machine", "edited", "-n", namespace.name(), "--overwrite", ApiGroup.SERIAL_LABEL + "=" + (serial + 1000));
    await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertThat(machine(namespace, "edited").getMetadata().getLabels())
        .containsEntry(ApiGroup.SERIAL_LABEL, Long.toString(serial)));
    assertThat(onlyEvent(namespace, "edited", "SerialLabelReplaced").getMessage()).contains("replaced with " + serial);

    namespace.kubectl().output("patch", "machine", "edited", "-n", namespace.name(), "--subresource=status", "--type=merge",
        "-p", "{\"status\":{\"serial\":" + (serial + 2000) + "}}");
    await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertThat(machine(namespace, "edited").getStatus().serial()).isEqualTo(serial));
    assertThat(onlyEvent(namespace, "edited", "SerialStatusReplaced").getMessage())
        .contains("status.serial was changed to " + (serial + 2000), "assigned serial " + serial);
  }

  @Test
  void concurrentCopiesOfOneManifestAllGetDistinctSerials(TestNamespace namespace) {
    Fixtures.create(namespace, "{apiVersion: erlmachine.io/v1alpha1, kind: Machine, metadata: {name: template}, spec: {}}");
    long copied = Fixtures.awaitReady(namespace, "template").getStatus().serial();
    int copies = 30;
    try (ExecutorService creators = Executors.newFixedThreadPool(8)) {
      IntStream.range(0, copies).forEach(i -> creators.submit(() -> Fixtures.create(namespace,
          "{apiVersion: erlmachine.io/v1alpha1, kind: Machine, metadata: {name: copy-" + i + ", labels: {erlmachine.io/serial: '" + copied + "'}}, spec: {}}")));
    }

    await().atMost(Duration.ofSeconds(120)).pollInterval(Duration.ofSeconds(1)).until(() -> namespace.client().resources(Machine.class)
        .inNamespace(namespace.name()).list().getItems().stream().filter(m -> m.getStatus() != null && m.getStatus().serial() != null).count() == copies + 1);
    List<Machine> machines = namespace.client().resources(Machine.class).inNamespace(namespace.name()).list().getItems();
    assertThat(machines).extracting(m -> m.getStatus().serial()).doesNotHaveDuplicates();
    Map<Long, String> ledger = ledger(namespace.client());
    machines.forEach(m -> {
      assertThat(m.getMetadata().getLabels()).containsEntry(ApiGroup.SERIAL_LABEL, Long.toString(m.getStatus().serial()));
      assertThat(ledger.get(m.getStatus().serial())).startsWith(m.getMetadata().getUid() + " ");
    });
  }

  /** Every binding in the ledger of the shared operator: serial to "uid namespace/name". */
  private static Map<Long, String> ledger(KubernetesClient client) {
    return ledger(client, OperatorProcess.OPERATOR_NAMESPACE);
  }

  /** Every binding in the ledger of the operator running in {@code operatorNamespace}. */
  static Map<Long, String> ledger(KubernetesClient client, String operatorNamespace) {
    return client.configMaps().inNamespace(operatorNamespace).withLabel(LEDGER_LABEL).list().getItems().stream()
        .map(ConfigMap::getData).flatMap(data -> data.entrySet().stream())
        .collect(Collectors.toMap(entry -> Long.parseLong(entry.getKey()), Map.Entry::getValue));
  }

  static List<Event> events(TestNamespace namespace, String machine) {
    return namespace.client().v1().events().inNamespace(namespace.name()).withField("involvedObject.name", machine).list().getItems();
  }

  static Event onlyEvent(TestNamespace namespace, String machine, String reason) {
    await().atMost(Duration.ofSeconds(30)).until(() -> events(namespace, machine).stream().anyMatch(e -> reason.equals(e.getReason())));
    List<Event> matching = events(namespace, machine).stream().filter(e -> reason.equals(e.getReason())).toList();
    assertThat(matching).as("%s events of %s", reason, machine).hasSize(1);
    return matching.get(0);
  }

  private static Machine machine(TestNamespace namespace, String name) {
    return namespace.client().resources(Machine.class).inNamespace(namespace.name()).withName(name).get();
  }
}
