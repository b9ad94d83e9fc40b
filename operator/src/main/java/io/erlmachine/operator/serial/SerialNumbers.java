package io.erlmachine.operator.serial;

import io.erlmachine.operator.config.OperatorSettings;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import jakarta.enterprise.context.ApplicationScoped;
import java.net.HttpURLConnection;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.function.LongSupplier;
import org.jboss.logging.Logger;

/**
 * Hands out serial numbers that were never handed out before. The next free serial lives in a
 * ConfigMap in the operator's namespace; each process reserves a block of serials with an
 * optimistic-locked update of that ConfigMap and hands them out from memory. A block cut short
 * by a restart or fail-over is never resumed (a new process reserves a new block), so serials
 * increase but may have gaps. The counter also records whether the serial ledger has taken
 * over from the labels (see {@link SerialLedger}).
 */
@ApplicationScoped
public class SerialNumbers {
  public static final String COUNTER_NAME = "erlmachine-serial-counter";
  static final String NEXT_KEY = "next";
  static final String LEDGER_KEY = "ledger";
  static final String LEDGER_VERSION = "v1";
  private static final int MAX_ATTEMPTS = 20;
  private static final Logger LOG = Logger.getLogger(SerialNumbers.class);

  private final KubernetesClient client;
  private final String namespace;
  private final int blockSize;
  private long next;
  private long blockEnd;

  public SerialNumbers(KubernetesClient client, OperatorSettings settings) {
    this.client = client;
    this.namespace = settings.operatorNamespace();
    this.blockSize = settings.serials().blockSize();
  }

  /** The counter as it is now, if it exists. */
  Optional<ConfigMap> counter() {
    return Optional.ofNullable(client.configMaps().inNamespace(namespace).withName(COUNTER_NAME).get());
  }

  /** Whether the counter says the ledger is the record of serials (so labels are no longer trusted on their own). */
  static boolean ledgerStarted(ConfigMap counter) {
    return counter.getData() != null && LEDGER_VERSION.equals(counter.getData().get(LEDGER_KEY));
  }

  /** The serial after the last one ever reserved. */
  long nextFrom(ConfigMap counter) {
    String value = counter.getData() == null ? null : counter.getData().get(NEXT_KEY);
    try {
      long parsed = Long.parseLong(value);
      if (parsed > 0) {
        return parsed;
      }
    } catch (NumberFormatException malformed) {
      // reported below
    }
    throw new IllegalStateException("ConfigMap " + namespace + "/" + COUNTER_NAME + " has no valid '" + NEXT_KEY + "' (found " + value
        + "); no serial numbers are handed out until it is fixed. Delete it and numbering continues above the highest serial in use.");
  }

  /**
   * A serial never handed out before. {@code highestInUse} is asked only when the counter is
   * missing (deleted by hand), so that numbering continues above every serial in use.
   */
  public synchronized long next(LongSupplier highestInUse) {
    if (next >= blockEnd) {
      long start = update(highestInUse, blockSize);
      next = start;
      blockEnd = start + blockSize;
      LOG.debugf("reserved serial numbers %d to %d", start, blockEnd - 1);
    }
    return next++;
  }

  /** Records that the ledger holds every serial below {@code highestInUse + 1}; numbering continues above it. */
  void startLedger(long highestInUse) {
    update(() -> highestInUse, 0);
  }

  /**
   * One optimistic-locked change of the counter: {@code next} moves up by {@code reserve} (and
   * never below {@code highestInUse + 1}); returns the old next. Only the ledger asks for
   * serials, and only once it holds every serial in use, so every write says the ledger started.
   */
  private long update(LongSupplier highestInUse, int reserve) {
    for (int attempt = 1; ; attempt++) {
      try {
        Optional<ConfigMap> counter = counter();
        long start = counter.isPresent() ? nextFrom(counter.get()) : 1;
        if (counter.isEmpty() || reserve == 0) {
          start = Math.max(start, highestInUse.getAsLong() + 1);
        }
        Map<String, String> data = new HashMap<>(counter.map(ConfigMap::getData).orElse(Map.of()));
        data.put(LEDGER_KEY, LEDGER_VERSION);
        data.put(NEXT_KEY, Long.toString(start + reserve));
        ConfigMap desired = counterWith(data, counter.map(c -> c.getMetadata().getResourceVersion()).orElse(null));
        if (counter.isEmpty()) {
          client.configMaps().inNamespace(namespace).resource(desired).create();
        } else {
          client.configMaps().inNamespace(namespace).resource(desired).update();
        }
        return start;
      } catch (KubernetesClientException e) {
        boolean lostRace = e.getCode() == HttpURLConnection.HTTP_CONFLICT;
        if (!lostRace || attempt >= MAX_ATTEMPTS) {
          throw e;
        }
      }
    }
  }

  private ConfigMap counterWith(Map<String, String> data, String resourceVersion) {
    return new ConfigMapBuilder()
        .withNewMetadata().withName(COUNTER_NAME).withNamespace(namespace).withResourceVersion(resourceVersion)
        .addToLabels("app.kubernetes.io/managed-by", "erlmachine-operator").endMetadata()
        .withData(data)
        .build();
  }
}
