package io.erlmachine.operator.serial;

import io.erlmachine.api.v1alpha1.ApiGroup;
import io.erlmachine.api.v1alpha1.Machine;
import io.erlmachine.operator.config.OperatorSettings;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import jakarta.enterprise.context.ApplicationScoped;
import java.net.HttpURLConnection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

/**
 * Hands out cluster-unique serial numbers that are never reused. The next free serial lives
 * in a ConfigMap in the operator's namespace; each replica reserves a block of serials with
 * an optimistic-locked update of that ConfigMap and hands them out from memory. A block cut
 * short by a restart or fail-over is skipped, so serials increase but may have gaps.
 */
@ApplicationScoped
public class SerialNumbers {
  public static final String COUNTER_NAME = "erlmachine-serial-counter";
  static final String NEXT_KEY = "next";
  private static final Logger LOG = Logger.getLogger(SerialNumbers.class);

  private final KubernetesClient client;
  private final String namespace;
  private final int blockSize;
  private long next;
  private long blockEnd;

  private final List<String> watchedNamespaces;

  public SerialNumbers(KubernetesClient client, OperatorSettings settings,
                       @ConfigProperty(name = "quarkus.operator-sdk.namespaces") Optional<List<String>> watchedNamespaces) {
    this.client = client;
    this.watchedNamespaces = watchedNamespaces.orElse(List.of()).stream().filter(n -> !n.isBlank() && !"JOSDK_ALL_NAMESPACES".equals(n)).toList();
    this.namespace = settings.operatorNamespace();
    this.blockSize = settings.serials().blockSize();
  }

  public synchronized long next() {
    if (next >= blockEnd) {
      reserveBlock();
    }
    return next++;
  }

  private void reserveBlock() {
    for (int attempt = 1; ; attempt++) {
      try {
        ConfigMap counter = client.configMaps().inNamespace(namespace).withName(COUNTER_NAME).get();
        long start = counter == null ? firstSerialForNewCounter() : nextFrom(counter);
        long end = start + blockSize;
        if (counter == null) {
          client.configMaps().inNamespace(namespace).resource(counterWith(end, null)).create();
        } else {
          client.configMaps().inNamespace(namespace).resource(counterWith(end, counter.getMetadata().getResourceVersion())).update();
        }
        next = start;
        blockEnd = end;
        LOG.debugf("reserved serial numbers %d to %d", start, end - 1);
        return;
      } catch (KubernetesClientException e) {
        boolean lostRace = e.getCode() == HttpURLConnection.HTTP_CONFLICT;
        if (!lostRace || attempt >= 20) {
          throw e;
        }
      }
    }
  }

  /** The counter is the record of every serial ever handed out; guessing past a damaged one could reuse serials. */
  private long nextFrom(ConfigMap counter) {
    String value = counter.getData() == null ? null : counter.getData().get(NEXT_KEY);
    try {
      long next = Long.parseLong(value);
      if (next > 0) {
        return next;
      }
    } catch (NumberFormatException malformed) {
      // reported below
    }
    throw new IllegalStateException("ConfigMap " + namespace + "/" + COUNTER_NAME + " has no valid '" + NEXT_KEY + "' (found " + value
        + "); no serial numbers are handed out until it is fixed. Delete it and numbering continues above the highest serial in use.");
  }

  /** Normally 1; above every serial in use if the counter was deleted, so none is handed out twice. */
  private long firstSerialForNewCounter() {
    List<Machine> machines = watchedNamespaces.isEmpty()
        ? client.resources(Machine.class).inAnyNamespace().withLabel(ApiGroup.SERIAL_LABEL).list().getItems()
        : watchedNamespaces.stream()
            .flatMap(namespace -> client.resources(Machine.class).inNamespace(namespace).withLabel(ApiGroup.SERIAL_LABEL).list().getItems().stream())
            .toList();
    return machines.stream()
        .map(machine -> machine.getMetadata().getLabels().get(ApiGroup.SERIAL_LABEL))
        .mapToLong(SerialNumbers::parseOrZero)
        .max().orElse(0) + 1;
  }

  private static long parseOrZero(String serial) {
    try {
      return Long.parseLong(serial);
    } catch (NumberFormatException e) {
      return 0;
    }
  }

  private ConfigMap counterWith(long next, String resourceVersion) {
    return new ConfigMapBuilder()
        .withNewMetadata().withName(COUNTER_NAME).withNamespace(namespace).withResourceVersion(resourceVersion)
        .addToLabels("app.kubernetes.io/managed-by", "erlmachine-operator").endMetadata()
        .withData(Map.of(NEXT_KEY, Long.toString(next)))
        .build();
  }
}
