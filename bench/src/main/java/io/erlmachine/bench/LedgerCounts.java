package io.erlmachine.bench;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.util.List;
import java.util.Map;

/**
 * The serial ledger after a run: its objects (the shards and the counter), the bindings and
 * bytes of data they hold, and how many writes the operator made to them.
 */
record LedgerCounts(int objects, int bindings, long dataBytes, long writes) {
  static final String OBJECT_PREFIX = "erlmachine-serial";

  static LedgerCounts read(KubernetesClient client, String namespace, long writes) {
    List<ConfigMap> shards = client.configMaps().inNamespace(namespace).withLabel("erlmachine.io/serial-ledger").list().getItems();
    int counter = client.configMaps().inNamespace(namespace).withName("erlmachine-serial-counter").get() == null ? 0 : 1;
    int bindings = shards.stream().mapToInt(shard -> shard.getData() == null ? 0 : shard.getData().size()).sum();
    long bytes = shards.stream().filter(shard -> shard.getData() != null).flatMap(shard -> shard.getData().entrySet().stream())
        .mapToLong(entry -> entry.getKey().length() + entry.getValue().length()).sum();
    return new LedgerCounts(shards.size() + counter, bindings, bytes, writes);
  }

  Map<String, Object> toJson(int machines) {
    return Map.of("objects", objects, "bindings", bindings, "dataBytes", dataBytes, "writes", writes,
        "objectsPerMachine", (double) objects / machines, "writesPerMachine", (double) writes / machines);
  }
}
