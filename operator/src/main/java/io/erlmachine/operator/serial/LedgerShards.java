package io.erlmachine.operator.serial;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.net.HttpURLConnection;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeMap;
import java.util.stream.Collectors;

/**
 * The serial ledger as stored: ConfigMaps in the operator's namespace, one per range of
 * {@value #SIZE} serials ({@code erlmachine-serials-0} holds serials 0 to 99, and so on). An
 * assignment writes one small shard, never one object that grows with the cluster, and every
 * write carries the shard's resourceVersion, so a serial, once written, is never bound twice.
 * Not thread-safe: the ledger writes under its own lock.
 */
final class LedgerShards {
  static final int SIZE = 100;
  static final String LABEL = "erlmachine.io/serial-ledger";
  static final String NAME_PREFIX = "erlmachine-serials-";
  private static final int MAX_ATTEMPTS = 20;

  private final KubernetesClient client;
  private final String namespace;
  /** The latest version of each shard this process has read or written. */
  private final Map<Long, ConfigMap> latest = new HashMap<>();

  LedgerShards(KubernetesClient client, String namespace) {
    this.client = client;
    this.namespace = namespace;
  }

  static long shardOf(long serial) {
    return serial / SIZE;
  }

  static String name(long shard) {
    return NAME_PREFIX + shard * SIZE;
  }

  /** Every binding in every shard. */
  List<LedgerBinding> readAll() {
    List<LedgerBinding> bindings = new ArrayList<>();
    client.configMaps().inNamespace(namespace).withLabel(LABEL).list().getItems().forEach(shard -> {
      String name = shard.getMetadata().getName();
      if (name.startsWith(NAME_PREFIX)) {
        parseShardStart(name).ifPresent(start -> latest.put(start / SIZE, shard));
      }
      bindings.addAll(bindingsIn(shard));
    });
    return bindings;
  }

  /**
   * Writes the bindings, one optimistic-locked write per shard touched, and returns everything
   * the written shards now hold (including bindings other writers put there). A serial already
   * bound is left as it is: the caller sees that its binding did not make it.
   */
  List<LedgerBinding> add(Collection<LedgerBinding> bindings) {
    Map<Long, List<LedgerBinding>> byShard = bindings.stream()
        .collect(Collectors.groupingBy(binding -> shardOf(binding.serial()), TreeMap::new, Collectors.toList()));
    List<LedgerBinding> held = new ArrayList<>();
    byShard.forEach((shard, additions) -> held.addAll(bindingsIn(write(shard, additions))));
    return held;
  }

  private ConfigMap write(long shard, List<LedgerBinding> additions) {
    for (int attempt = 1; ; attempt++) {
      ConfigMap current = latest.get(shard);
      Map<String, String> data = new TreeMap<>(current == null || current.getData() == null ? Map.of() : current.getData());
      additions.forEach(binding -> data.putIfAbsent(binding.key(), binding.value()));
      if (current != null && Objects.equals(data, current.getData())) {
        return current;
      }
      try {
        ConfigMap desired = shardWith(shard, data, current == null ? null : current.getMetadata().getResourceVersion());
        ConfigMap written = current == null
            ? client.configMaps().inNamespace(namespace).resource(desired).create()
            : client.configMaps().inNamespace(namespace).resource(desired).update();
        latest.put(shard, written);
        return written;
      } catch (KubernetesClientException e) {
        if (e.getCode() != HttpURLConnection.HTTP_CONFLICT || attempt >= MAX_ATTEMPTS) {
          throw e;
        }
        ConfigMap fresh = client.configMaps().inNamespace(namespace).withName(name(shard)).get();
        if (fresh == null) {
          latest.remove(shard);
        } else {
          latest.put(shard, fresh);
        }
      }
    }
  }

  private ConfigMap shardWith(long shard, Map<String, String> data, String resourceVersion) {
    return new ConfigMapBuilder()
        .withNewMetadata().withName(name(shard)).withNamespace(namespace).withResourceVersion(resourceVersion)
        .addToLabels(LABEL, SerialNumbers.LEDGER_VERSION)
        .addToLabels("app.kubernetes.io/managed-by", "erlmachine-operator")
        .addToAnnotations("erlmachine.io/serials", shard * SIZE + "-" + (shard * SIZE + SIZE - 1))
        .endMetadata()
        .withData(data)
        .build();
  }

  private static List<LedgerBinding> bindingsIn(ConfigMap shard) {
    if (shard.getData() == null) {
      return List.of();
    }
    return shard.getData().entrySet().stream().flatMap(entry -> LedgerBinding.parse(entry.getKey(), entry.getValue()).stream()).toList();
  }

  private static Optional<Long> parseShardStart(String name) {
    try {
      return Optional.of(Long.parseLong(name.substring(NAME_PREFIX.length())));
    } catch (NumberFormatException notAShard) {
      return Optional.empty();
    }
  }
}
