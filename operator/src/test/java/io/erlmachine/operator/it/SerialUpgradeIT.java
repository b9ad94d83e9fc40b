package io.erlmachine.operator.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.erlmachine.api.v1alpha1.ApiGroup;
import io.erlmachine.api.v1alpha1.Machine;
import io.erlmachine.testkit.KwokClusterExtension;
import io.erlmachine.testkit.KwokClusterExtension.ClusterAccess;
import io.erlmachine.testkit.TestNamespace;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Upgrading from an operator that kept serials only in labels: the new operator adopts them
 * into its ledger, once; of two Machines with the same label the older keeps it, and a label
 * the old counter never issued is not trusted.
 */
@ExtendWith(KwokClusterExtension.class)
class SerialUpgradeIT {
  /** What the counter said before the ledger: serials below 100 were reserved. */
  private static final int PRE_LEDGER_NEXT = 100;

  @Test
  void labelsFromBeforeTheLedgerAreKeptUnlessTheyClash(TestNamespace namespace, ClusterAccess cluster) {
    KubernetesClient client = cluster.client();
    String operatorNamespace = namespace.name() + "-op";
    client.namespaces().resource(new NamespaceBuilder().withNewMetadata().withName(operatorNamespace).endMetadata().build()).serverSideApply();
    try {
      client.configMaps().inNamespace(operatorNamespace).resource(new ConfigMapBuilder().withNewMetadata().withName("erlmachine-serial-counter")
          .endMetadata().withData(Map.of("next", Integer.toString(PRE_LEDGER_NEXT))).build()).create();
      createLabelled(namespace, "older", 5);
      OperatorProcess.sleep(1100);
      createLabelled(namespace, "newer", 5);
      createLabelled(namespace, "unique", 7);
      createLabelled(namespace, "invented", 500);

      Map<String, Long> serials;
      try (OperatorProcess upgraded = start(cluster, operatorNamespace, namespace)) {
        serials = awaitAllReady(namespace, "older", "newer", "unique", "invented");
      }

      assertThat(serials).containsEntry("older", 5L).containsEntry("unique", 7L);
      assertThat(serials.get("newer")).isGreaterThanOrEqualTo(PRE_LEDGER_NEXT);
      assertThat(serials.get("invented")).isGreaterThanOrEqualTo(PRE_LEDGER_NEXT).isNotEqualTo(500L).isNotEqualTo(serials.get("newer"));
      assertThat(SerialLedgerIT.onlyEvent(namespace, "newer", "SerialLabelReplaced").getMessage())
          .contains("belongs to Machine " + namespace.name() + "/older");
      assertThat(SerialLedgerIT.events(namespace, "older")).extracting(Event::getReason).doesNotContain("SerialLabelReplaced", "SerialAssigned");
      assertThat(SerialLedgerIT.events(namespace, "unique")).extracting(Event::getReason).doesNotContain("SerialLabelReplaced", "SerialAssigned");
      ConfigMap counter = client.configMaps().inNamespace(operatorNamespace).withName("erlmachine-serial-counter").get();
      assertThat(counter.getData()).containsEntry("ledger", "v1");
      Map<Long, String> ledger = SerialLedgerIT.ledger(client, operatorNamespace);
      assertThat(ledger.get(5L)).endsWith(" " + namespace.name() + "/older");
      assertThat(ledger.get(7L)).endsWith(" " + namespace.name() + "/unique");
      assertThat(ledger).doesNotContainKey(500L);

      // A later start trusts the ledger: nothing is adopted again and nothing changes.
      createLabelled(namespace, "after-upgrade", 6);
      try (OperatorProcess restarted = start(cluster, operatorNamespace, namespace)) {
        Map<String, Long> again = awaitAllReady(namespace, "older", "newer", "unique", "invented", "after-upgrade");
        assertThat(again).containsAllEntriesOf(serials);
        assertThat(again.get("after-upgrade")).as("a label set after the upgrade is never adopted").isNotEqualTo(6L);
      }
      assertThat(SerialLedgerIT.events(namespace, "newer")).filteredOn(e -> "SerialLabelReplaced".equals(e.getReason())).hasSize(1);
    } finally {
      client.namespaces().withName(operatorNamespace).delete();
    }
  }

  private static OperatorProcess start(ClusterAccess cluster, String operatorNamespace, TestNamespace watched) {
    HostStandIn.ensureRunning(cluster.kubeconfig());
    return OperatorProcess.start(cluster.kubeconfig(), operatorNamespace, Map.of("QUARKUS_OPERATOR_SDK_NAMESPACES", watched.name()));
  }

  private static void createLabelled(TestNamespace namespace, String name, long serial) {
    Fixtures.create(namespace, "{apiVersion: erlmachine.io/v1alpha1, kind: Machine, metadata: {name: " + name
        + ", labels: {" + ApiGroup.SERIAL_LABEL + ": '" + serial + "'}}, spec: {}}");
  }

  private static Map<String, Long> awaitAllReady(TestNamespace namespace, String... names) {
    return List.of(names).stream().collect(Collectors.toMap(name -> name, name -> {
      Machine ready = Fixtures.awaitReady(namespace, name);
      assertThat(ready.getMetadata().getLabels()).containsEntry(ApiGroup.SERIAL_LABEL, Long.toString(ready.getStatus().serial()));
      return ready.getStatus().serial();
    }));
  }
}
