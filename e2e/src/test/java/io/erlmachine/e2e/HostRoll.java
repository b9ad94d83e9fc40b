package io.erlmachine.e2e;

import io.erlmachine.e2e.RealNodeCluster.RealNode;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

/**
 * The machines of host-roll.yaml in a namespace of the real node (front and relay on hosts of their own, tally in a pod
 * of its own), and a rolling restart of the namespace's engine hosts as {@code kubectl rollout restart} does it.
 */
final class HostRoll {
  static final List<String> MACHINES = List.of("front", "relay", "tally");
  static final String HOSTS = "erlmachine-host";
  static final String FRONT_IN = "/api/v1/gearboxes/front/gears/in/messages";
  static final String TALLY_STATE = "/api/v1/gearboxes/tally/gears/count/state";

  private final RealNode node;
  private final String namespace;

  private HostRoll(RealNode node, String namespace) {
    this.node = node;
    this.namespace = namespace;
  }

  static HostRoll deploy(RealNode node, String namespace) {
    node.installOperator();
    node.client().namespaces().withName(namespace).delete();
    node.client().namespaces().withName(namespace).waitUntilCondition(Objects::isNull, 2, TimeUnit.MINUTES);
    node.createNamespace(namespace);
    try (InputStream in = HostRoll.class.getResourceAsStream("/host-roll.yaml")) {
      for (HasMetadata object : node.client().load(Objects.requireNonNull(in, "host-roll.yaml")).items()) {
        node.client().resource(object).inNamespace(namespace).create();
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return new HostRoll(node, namespace);
  }

  void delete() {
    if (!"true".equals(System.getenv("ERLMACHINE_KEEP_CLUSTER"))) {
      node.client().namespaces().withName(namespace).delete();
    }
  }

  void awaitMachinesReady(Duration timeout) {
    String[] ready = {""};
    OrdersExample.awaitTrue(timeout, () -> {
      ready[0] = node.kubectl().output("get", "machines", "-n", namespace,
          "-o", "jsonpath={range .items[*]}{.metadata.name}={.status.conditions[?(@.type==\"Ready\")].status} {end}");
      return MACHINES.stream().allMatch(machine -> ready[0].contains(machine + "=True"));
    }, () -> "machines not Ready: " + ready[0]);
  }

  String hostOf(String machine) {
    return node.kubectl().output("get", "machine", machine, "-n", namespace, "-o", "jsonpath={.status.host}").strip();
  }

  MachineHttp http(String machine) {
    return MachineHttp.of(node, namespace, machine);
  }

  /** The uid of each host pod, by name. */
  Map<String, String> hostPods() {
    return node.client().pods().inNamespace(namespace).withLabel("app.kubernetes.io/component", "engine-host").list().getItems()
        .stream().collect(Collectors.toMap(pod -> pod.getMetadata().getName(), pod -> pod.getMetadata().getUid(), (a, b) -> a,
            TreeMap::new));
  }

  /**
   * Restarts the hosts as {@code kubectl rollout restart statefulset/erlmachine-host} does (a new annotation on the pod
   * template, so the StatefulSet replaces its pods one at a time, highest first) and waits until every host pod is new
   * and ready and the roll is complete.
   */
  void restartHosts(Duration timeout) {
    Map<String, String> before = hostPods();
    node.client().apps().statefulSets().inNamespace(namespace).withName(HOSTS).patch(PatchContext.of(PatchType.JSON_MERGE),
        "{\"spec\":{\"template\":{\"metadata\":{\"annotations\":{\"kubectl.kubernetes.io/restartedAt\":\"" + Instant.now() + "\"}}}}}");
    String[] seen = {""};
    OrdersExample.awaitTrue(timeout, () -> {
      StatefulSet set = node.client().apps().statefulSets().inNamespace(namespace).withName(HOSTS).get();
      var status = set.getStatus();
      int replicas = set.getSpec().getReplicas();
      Map<String, String> now = hostPods();
      seen[0] = "status " + status + ", pods " + now + ", before " + before;
      boolean allNew = now.keySet().equals(before.keySet()) && before.entrySet().stream().noneMatch(e -> e.getValue().equals(now.get(e.getKey())));
      return allNew && status.getObservedGeneration() >= set.getMetadata().getGeneration()
          && Objects.equals(status.getUpdateRevision(), status.getCurrentRevision())
          && Objects.equals(status.getUpdatedReplicas(), replicas) && Objects.equals(status.getReadyReplicas(), replicas);
    }, () -> "the hosts did not roll: " + seen[0]);
  }
}
