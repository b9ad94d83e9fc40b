package io.erlmachine.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.erlmachine.e2e.RealNodeCluster.RealNode;
import io.erlmachine.testkit.CommandRunner;
import io.erlmachine.testkit.Repository;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.HasMetadata;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;
import java.util.stream.Stream;

/** The orders example (deploy/examples/orders) deployed into a namespace of the real node, and what its tests ask of it. */
final class OrdersExample {
  static final List<String> MACHINES = List.of("gateway", "validator-1", "catalog", "archive");
  static final String ORDERS = "/api/v1/gearboxes/intake/gears/orders/messages";
  static final String ARCHIVED = "/api/v1/gearboxes/archive/gears/store/state";

  private final RealNode node;
  private final String namespace;

  private OrdersExample(RealNode node, String namespace) {
    this.node = node;
    this.namespace = namespace;
  }

  /**
   * Deploys the example into a new namespace, as it is or with every Machine's spec.hosting set
   * (null: as the example says, which leaves the hosting to the operator).
   */
  static OrdersExample deploy(RealNode node, String namespace, String hosting) {
    node.installOperator();
    node.client().namespaces().withName(namespace).delete();
    node.client().namespaces().withName(namespace).waitUntilCondition(ns -> ns == null, 2, TimeUnit.MINUTES);
    node.createNamespace(namespace);
    try (Stream<Path> files = Files.list(Repository.path("deploy/examples/orders"))) {
      for (Path file : files.filter(f -> f.toString().endsWith(".yaml")).sorted().toList()) {
        try (InputStream in = Files.newInputStream(file)) {
          for (HasMetadata object : node.client().load(in).items()) {
            if (hosting != null && object instanceof GenericKubernetesResource resource && "Machine".equals(resource.getKind())) {
              @SuppressWarnings("unchecked")
              Map<String, Object> spec = (Map<String, Object>) resource.getAdditionalProperties()
                  .computeIfAbsent("spec", key -> new LinkedHashMap<String, Object>());
              spec.put("hosting", hosting);
            }
            node.client().resource(object).inNamespace(namespace).create();
          }
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return new OrdersExample(node, namespace);
  }

  void delete() {
    if (!"true".equals(System.getenv("ERLMACHINE_KEEP_CLUSTER"))) {
      node.client().namespaces().withName(namespace).delete();
    }
  }

  /** Engines on a loaded 2-core machine take a while to start (JVMs, the JIT compiler): minutes, not seconds. */
  void awaitMachinesReady(Duration timeout) {
    String[] ready = {""};
    awaitTrue(timeout, () -> {
      ready[0] = node.kubectl().output("get", "machines", "-n", namespace,
          "-o", "jsonpath={range .items[*]}{.metadata.name}={.status.conditions[?(@.type==\"Ready\")].status} {end}");
      return MACHINES.stream().allMatch(machine -> ready[0].contains(machine + "=True"));
    }, () -> "machines not Ready: " + ready[0]);
  }

  MachineHttp http(String machine) {
    return MachineHttp.of(node, namespace, machine);
  }

  /** Sends an order to the gateway's DNS name from a pod and follows its track until it crossed every machine. */
  void anOrderCrossesEveryMachineByDnsName() {
    CheckPod client = CheckPod.start(node, namespace, "client", "sleep", "3600");
    String gateway = "http://gateway." + namespace + ".svc.cluster.local";
    CommandRunner.Result sent = client.exec("wget", "-q", "-O", "-", "--header", "Content-Type: application/json",
        "--post-data", "{\"id\": 1, \"total\": 12.5, \"country\": \"DE\"}", gateway + ORDERS);
    assertThat(sent.exitCode()).as(sent.stderr()).isZero();
    String tracking = MachineHttp.parse(sent.stdout()).path("tracking").asText();
    assertThat(tracking).isNotBlank();

    Set<String> crossed = new HashSet<>();
    awaitTrue(Duration.ofSeconds(30), () -> {
      CommandRunner.Result track = client.exec("wget", "-q", "-O", "-", gateway + "/api/v1/tracks/" + tracking + "?follow=true");
      if (track.exitCode() == 0) {
        MachineHttp.parse(track.stdout()).path("hops").forEach(hop -> crossed.add(hop.path("machine").asText()));
      }
      return crossed.containsAll(MACHINES);
    }, () -> "the track of " + tracking + " crossed only " + crossed);
    JsonNode priced = http("archive").get(ARCHIVED);
    assertThat(priced.path("count").asLong()).isPositive();
  }

  static void awaitTrue(Duration timeout, BooleanSupplier condition, Supplier<String> failure) {
    Instant deadline = Instant.now().plus(timeout);
    while (Instant.now().isBefore(deadline)) {
      try {
        if (condition.getAsBoolean()) {
          return;
        }
      } catch (RuntimeException | AssertionError notYet) {
        // the engine is restarting or not routed yet
      }
      try {
        Thread.sleep(500);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException(e);
      }
    }
    throw new AssertionError(failure.get());
  }
}
