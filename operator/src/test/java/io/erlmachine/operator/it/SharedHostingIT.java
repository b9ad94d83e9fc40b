package io.erlmachine.operator.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.erlmachine.api.config.MachineConfigCodec;
import io.erlmachine.api.host.HostContract;
import io.erlmachine.api.v1alpha1.Machine;
import io.erlmachine.api.v1alpha1.spec.Hosting;
import io.erlmachine.testkit.KwokClusterExtension.ClusterAccess;
import io.erlmachine.testkit.TestNamespace;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.api.model.coordination.v1.Lease;
import io.fabric8.kubernetes.api.model.discovery.v1.Endpoint;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointSlice;
import io.fabric8.kubernetes.api.model.policy.v1.EvictionBuilder;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudget;
import io.fabric8.kubernetes.api.model.rbac.PolicyRule;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Base64;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Shared hosting on a real control plane: Machines placed onto the namespace's engine host pods
 * (kwok runs them and gives them addresses), each reached through its own Service and an
 * EndpointSlice that points at its host and port. The hosts' side of the contract is played by
 * {@link HostStandIn}, which reports through Leases as a real host does.
 */
class SharedHostingIT extends WithRunningOperator {
  private static final Logger LOG = LoggerFactory.getLogger(SharedHostingIT.class);
  private static final Duration PATIENCE = Duration.ofSeconds(90);
  /** How long after its host's Lease ran out a machine may still count as Ready: the operator's timer, a reconcile, this test's polling. */
  private static final Duration LAPSE_MARGIN = Duration.ofSeconds(3);

  @Test
  void machinesRunOnAHostEachWithItsOwnPortServiceAndEndpoint(TestNamespace namespace) {
    namespace.kubectl().output("label", "namespace", namespace.name(),
        "pod-security.kubernetes.io/enforce=restricted", "pod-security.kubernetes.io/enforce-version=latest");
    List.of("alpha", "beta", "gamma").forEach(name -> Fixtures.create(namespace, machine(name, "{}")));

    Map<String, Machine> ready = Map.of("alpha", Fixtures.awaitReady(namespace, "alpha"), "beta", Fixtures.awaitReady(namespace, "beta"),
        "gamma", Fixtures.awaitReady(namespace, "gamma"));

    KubernetesClient client = namespace.client();
    Pod host = client.pods().inNamespace(namespace.name()).withName("erlmachine-host-0").get();
    assertThat(host.getStatus().getPodIP()).isNotBlank();
    Set<Integer> ports = new HashSet<>();
    ready.forEach((name, machine) -> {
      assertThat(machine.getStatus().hosting()).isEqualTo(Hosting.Shared);
      assertThat(machine.getStatus().host()).isEqualTo("erlmachine-host-0");
      assertThat(ports.add(machine.getStatus().port())).as("port of " + name + " is its own").isTrue();
      assertThat(machine.getStatus().port()).isBetween(20000, 20199);
      int port = machine.getStatus().port();

      ConfigMap config = client.configMaps().inNamespace(namespace.name()).withName(name + "-config").get();
      assertThat(config.getMetadata().getLabels()).containsEntry(HostContract.HOST_LABEL, "erlmachine-host-0");
      assertThat(config.getMetadata().getAnnotations()).containsEntry(HostContract.GENERATION_ANNOTATION, machine.getMetadata().getGeneration().toString());
      assertThat(MachineConfigCodec.fromYaml(config.getData().get("machine.yaml")).listener().port()).isEqualTo(port);

      Service service = client.services().inNamespace(namespace.name()).withName(name).get();
      assertThat(service.getSpec().getSelector()).as("no selector: the operator's EndpointSlice says where it answers").isNullOrEmpty();
      assertThat(service.getSpec().getPorts().getFirst().getPort()).isEqualTo(80);
      EndpointSlice slice = slice(namespace, name);
      assertThat(slice.getMetadata().getLabels()).containsEntry("kubernetes.io/service-name", name)
          .containsEntry("endpointslice.kubernetes.io/managed-by", "erlmachine.io");
      assertThat(slice.getPorts().getFirst().getPort()).isEqualTo(port);
      assertThat(slice.getEndpoints()).singleElement().satisfies(endpoint -> {
        assertThat(endpoint.getAddresses()).containsExactly(host.getStatus().getPodIP());
        assertThat(endpoint.getNodeName()).as("the node its host pod runs on").isNotBlank().isEqualTo(host.getSpec().getNodeName());
        assertThat(endpoint.getConditions().getReady()).isTrue();
      });
      assertThat(client.apps().statefulSets().inNamespace(namespace.name()).withName(name).get()).as("no pod of its own").isNull();
      assertThat(client.network().networkPolicies().inNamespace(namespace.name()).withName(name).get()).isNull();
      assertThat(client.serviceAccounts().inNamespace(namespace.name()).withName(name + "-engine").get()).isNull();
    });

    StatefulSet hosts = client.apps().statefulSets().inNamespace(namespace.name()).withName("erlmachine-host").get();
    assertThat(hosts.getSpec().getReplicas()).isEqualTo(1);
    var container = host.getSpec().getContainers().getFirst();
    assertThat(container.getSecurityContext().getReadOnlyRootFilesystem()).isTrue();
    assertThat(container.getEnv()).anyMatch(env -> env.getName().equals("ERLMACHINE_ENGINE_HOST_CLUSTER_ENABLED") && env.getValue().equals("true"));
    List<PolicyRule> rules = client.rbac().roles().inNamespace(namespace.name()).withName("erlmachine-host").get().getRules();
    assertThat(rules).extracting(PolicyRule::getResources).containsExactlyInAnyOrder(List.of("configmaps"), List.of("leases"));
    assertThat(rules).allSatisfy(rule -> assertThat(rule.getVerbs()).doesNotContain("*", "delete"));
    assertThat(client.network().networkPolicies().inNamespace(namespace.name()).withName("erlmachine-host").get().getSpec().getPolicyTypes())
        .containsExactlyInAnyOrder("Ingress", "Egress");
    assertThat(namespace.kubectl().output("get", "machines", "-n", namespace.name())).contains("HOST", "PORT", "erlmachine-host-0");
  }

  @Test
  void theHostsControlTokenIsMadeOnceKeptAcrossReconcilesAndGivenToEveryHost(TestNamespace namespace) {
    Fixtures.create(namespace, machine("keeper", "{}"));
    Fixtures.awaitReady(namespace, "keeper");
    KubernetesClient client = namespace.client();
    Secret secret = client.secrets().inNamespace(namespace.name()).withName("erlmachine-host-control").get();
    assertThat(secret).as("made with the hosts").isNotNull();
    assertThat(secret.getImmutable()).isTrue();
    assertThat(Base64.getUrlDecoder().decode(new String(Base64.getDecoder().decode(secret.getData().get("token")), StandardCharsets.UTF_8)))
        .as("32 random bytes, base64url").hasSize(32);
    Pod host = client.pods().inNamespace(namespace.name()).withName("erlmachine-host-0").get();
    assertThat(host.getSpec().getContainers().getFirst().getEnv()).filteredOn(env -> env.getName().equals("ERLMACHINE_ENGINE_CONTROL_TOKEN"))
        .singleElement().satisfies(env -> {
          assertThat(env.getValue()).isNull();
          assertThat(env.getValueFrom().getSecretKeyRef().getName()).isEqualTo("erlmachine-host-control");
          assertThat(env.getValueFrom().getSecretKeyRef().getKey()).isEqualTo("token");
        });

    // A host pod that goes away makes the operator apply every host object again; a new machine reconciles the namespace.
    client.pods().inNamespace(namespace.name()).withName("erlmachine-host-0").delete();
    await().atMost(PATIENCE).ignoreExceptions().untilAsserted(() -> assertThat(client.pods().inNamespace(namespace.name()).withName("erlmachine-host-0").get())
        .as("the host pod, made again").isNotNull()
        .satisfies(pod -> assertThat(pod.getMetadata().getUid()).isNotEqualTo(host.getMetadata().getUid())));
    Fixtures.create(namespace, machine("keeper-2", "{}"));
    Fixtures.awaitReady(namespace, "keeper-2");
    Fixtures.awaitReady(namespace, "keeper");

    Secret after = client.secrets().inNamespace(namespace.name()).withName("erlmachine-host-control").get();
    assertThat(after.getMetadata().getUid()).as("the same Secret").isEqualTo(secret.getMetadata().getUid());
    assertThat(after.getMetadata().getResourceVersion()).as("never rewritten").isEqualTo(secret.getMetadata().getResourceVersion());
    assertThat(after.getData()).isEqualTo(secret.getData());
  }

  @Test
  void aLostControlTokenIsMadeAgainWhenTheHostObjectsChange(TestNamespace namespace) {
    Fixtures.create(namespace, machine("first", "{}"));
    Fixtures.awaitReady(namespace, "first");
    KubernetesClient client = namespace.client();
    Secret lost = client.secrets().inNamespace(namespace.name()).withName("erlmachine-host-control").get();
    client.secrets().inNamespace(namespace.name()).withName("erlmachine-host-control").delete();

    // A machine that needs an outbound host changes the hosts' NetworkPolicy, so the host objects are applied again.
    Fixtures.create(namespace, machine("caller", "{permissions: {outboundHosts: [{host: api.example.com}]}}"));
    Fixtures.awaitReady(namespace, "caller");
    await().atMost(PATIENCE).untilAsserted(() -> assertThat(client.secrets().inNamespace(namespace.name()).withName("erlmachine-host-control").get())
        .as("the control token, made again").isNotNull()
        .satisfies(secret -> assertThat(secret.getMetadata().getUid()).isNotEqualTo(lost.getMetadata().getUid())));
  }

  @Test
  void aMachineTheHostReportsNotReadyLeavesOnlyItsOwnEndpoint(TestNamespace namespace) {
    List.of("steady", "failing").forEach(name -> Fixtures.create(namespace, machine(name, "{}")));
    Fixtures.awaitReady(namespace, "steady");
    Fixtures.awaitReady(namespace, "failing");

    hosts().reportNotReady(namespace.name(), "failing", "SelfTestFailed", "self-test totals of gearbox orders failed");
    try {
      Machine failing = Fixtures.awaitMachine(namespace, "failing",
          m -> Fixtures.condition(m, "Ready").map(c -> "SelfTestFailed".equals(c.getReason())).orElse(false));
      assertThat(Fixtures.condition(failing, "Ready").orElseThrow().getMessage())
          .contains("erlmachine-host-0", "self-test totals of gearbox orders failed");
      await().atMost(PATIENCE).ignoreExceptions().untilAsserted(() -> assertThat(endpoint(namespace, "failing").getConditions().getReady()).isFalse());
      assertThat(endpoint(namespace, "steady").getConditions().getReady()).as("the neighbour keeps serving").isTrue();
      assertThat(Fixtures.condition(Fixtures.awaitReady(namespace, "steady"), "Ready").orElseThrow().getStatus()).isEqualTo("True");
    } finally {
      hosts().reportReady(namespace.name(), "failing");
    }
    Fixtures.awaitReady(namespace, "failing");
    await().atMost(PATIENCE).ignoreExceptions().untilAsserted(() -> assertThat(endpoint(namespace, "failing").getConditions().getReady()).isTrue());
  }

  @Test
  void aSpecChangeRewritesOnlyItsOwnConfigAndADeletedMachineFreesItsPort(TestNamespace namespace) {
    List.of("one", "two", "three").forEach(name -> Fixtures.create(namespace, machine(name, "{}")));
    List.of("one", "two", "three").forEach(name -> Fixtures.awaitReady(namespace, name));
    KubernetesClient client = namespace.client();
    String twoVersion = client.configMaps().inNamespace(namespace.name()).withName("two-config").get().getMetadata().getResourceVersion();
    String threeVersion = client.configMaps().inNamespace(namespace.name()).withName("three-config").get().getMetadata().getResourceVersion();
    String hostsVersion = client.apps().statefulSets().inNamespace(namespace.name()).withName("erlmachine-host").get().getMetadata().getResourceVersion();

    namespace.kubectl().output("patch", "machine", "one", "-n", namespace.name(), "--type", "merge", "-p", "{\"spec\":{\"limits\":{\"maxGears\":7}}}");

    Machine changed = Fixtures.awaitMachine(namespace, "one", m -> m.getStatus().observedGeneration() == 2L
        && Fixtures.condition(m, "Ready").map(c -> "True".equals(c.getStatus())).orElse(false));
    ConfigMap one = client.configMaps().inNamespace(namespace.name()).withName("one-config").get();
    assertThat(one.getMetadata().getAnnotations()).containsEntry(HostContract.GENERATION_ANNOTATION, "2");
    assertThat(one.getData().get("machine.yaml")).contains("maxGears: 7");
    assertThat(client.configMaps().inNamespace(namespace.name()).withName("two-config").get().getMetadata().getResourceVersion()).isEqualTo(twoVersion);
    assertThat(client.configMaps().inNamespace(namespace.name()).withName("three-config").get().getMetadata().getResourceVersion()).isEqualTo(threeVersion);
    assertThat(client.apps().statefulSets().inNamespace(namespace.name()).withName("erlmachine-host").get().getMetadata().getResourceVersion())
        .as("the hosts are not touched").isEqualTo(hostsVersion);
    assertThat(changed.getStatus().port()).as("a spec change does not move the machine").isNotNull();

    int freed = Fixtures.awaitReady(namespace, "two").getStatus().port();
    client.resources(Machine.class).inNamespace(namespace.name()).withName("two").delete();
    await().atMost(PATIENCE).ignoreExceptions().untilAsserted(() -> {
      assertThat(client.configMaps().inNamespace(namespace.name()).withName("two-config").get()).isNull();
      assertThat(client.services().inNamespace(namespace.name()).withName("two").get()).isNull();
      assertThat(client.discovery().v1().endpointSlices().inNamespace(namespace.name()).withName("two").get()).isNull();
    });
    Fixtures.create(namespace, machine("four", "{}"));
    assertThat(Fixtures.awaitReady(namespace, "four").getStatus().port()).as("the freed port is given again").isEqualTo(freed);
  }

  @Test
  void twoHundredMachinesNeverShareAPortAndTheHostsGrowAndShrink(TestNamespace namespace, ClusterAccess cluster) throws Exception {
    int count = 200;
    Map<String, Long> before = ApiServerWrites.snapshot(cluster.client());
    try (ExecutorService creators = Executors.newFixedThreadPool(16)) {
      IntStream.range(0, count).forEach(i -> creators.submit(() -> Fixtures.create(namespace, machine("m-" + i, "{}"))));
    }
    KubernetesClient client = namespace.client();
    await().atMost(Duration.ofSeconds(240)).pollInterval(Duration.ofSeconds(2)).until(() -> readyCount(namespace) == count);
    Map<String, Long> writes = ApiServerWrites.difference(before, ApiServerWrites.snapshot(cluster.client()));
    long total = writes.values().stream().mapToLong(Long::longValue).sum();
    LOG.info("writes for {} shared machines: {} ({} per machine, the creates of the Machines included): {}", count, total,
        String.format(java.util.Locale.ROOT, "%.1f", total / (double) count), writes);
    assertThat(total).as("API writes per shared machine, everything in the cluster included: " + writes).isLessThanOrEqualTo(12L * count);
    String ns = namespace.name();
    long owned = client.configMaps().inNamespace(ns).withLabel("erlmachine.io/machine").list().getItems().size()
        + client.services().inNamespace(ns).withLabel("erlmachine.io/machine").list().getItems().size()
        + client.discovery().v1().endpointSlices().inNamespace(ns).withLabel("erlmachine.io/machine").list().getItems().size()
        + client.serviceAccounts().inNamespace(ns).withLabel("erlmachine.io/machine").list().getItems().size()
        + client.network().networkPolicies().inNamespace(ns).withLabel("erlmachine.io/machine").list().getItems().size()
        + client.apps().statefulSets().inNamespace(ns).withLabel("erlmachine.io/machine").list().getItems().size();
    assertThat(owned).as("objects per machine besides the Machine: its config, Service and EndpointSlice").isEqualTo(3L * count);

    List<Machine> machines = client.resources(Machine.class).inNamespace(namespace.name()).list().getItems();
    assertThat(machines.stream().map(m -> m.getStatus().host() + ":" + m.getStatus().port()).toList()).doesNotHaveDuplicates().hasSize(count);
    assertThat(client.apps().statefulSets().inNamespace(namespace.name()).withName("erlmachine-host").get().getSpec().getReplicas()).isEqualTo(1);
    assertThat(client.discovery().v1().endpointSlices().inNamespace(namespace.name()).withLabel("endpointslice.kubernetes.io/managed-by", "erlmachine.io")
        .list().getItems()).hasSize(count);

    // The host pod goes with all 200 machines on it: they come back on the new pod in the same places, with nothing left over.
    Map<String, String> places = identities(machines);
    String hostUid = client.pods().inNamespace(ns).withName("erlmachine-host-0").get().getMetadata().getUid();
    long deleted = System.nanoTime();
    client.pods().inNamespace(ns).withName("erlmachine-host-0").delete();
    await().atMost(PATIENCE).ignoreExceptions().until(() -> !client.pods().inNamespace(ns).withName("erlmachine-host-0").get().getMetadata().getUid().equals(hostUid));
    await().atMost(Duration.ofSeconds(240)).pollInterval(Duration.ofSeconds(1)).until(() -> readyCount(namespace) == count);
    LOG.info("host pod with {} machines deleted: all Ready again after {} ms", count, (System.nanoTime() - deleted) / 1_000_000);
    assertThat(identities(client.resources(Machine.class).inNamespace(ns).list().getItems())).as("same serial, host and port each").isEqualTo(places);
    assertThat(client.services().inNamespace(ns).withLabel("erlmachine.io/machine").list().getItems()).hasSize(count);
    assertThat(client.discovery().v1().endpointSlices().inNamespace(ns).withLabel("endpointslice.kubernetes.io/managed-by", "erlmachine.io")
        .list().getItems()).hasSize(count).allSatisfy(slice -> assertThat(slice.getEndpoints()).singleElement()
            .satisfies(endpoint -> assertThat(endpoint.getConditions().getReady()).isTrue()));
    assertThat(client.apps().statefulSets().inNamespace(ns).withName("erlmachine-host").get().getSpec().getReplicas()).as("no extra host").isEqualTo(1);

    Fixtures.create(namespace, machine("overflow", "{}"));
    Machine overflow = Fixtures.awaitReady(namespace, "overflow");
    assertThat(overflow.getStatus().host()).as("a full host makes the set grow").isEqualTo("erlmachine-host-1");
    assertThat(overflow.getStatus().port()).isEqualTo(20000);
    assertThat(client.apps().statefulSets().inNamespace(namespace.name()).withName("erlmachine-host").get().getSpec().getReplicas()).isEqualTo(2);

    client.resources(Machine.class).inNamespace(namespace.name()).withName("overflow").delete();
    await().atMost(PATIENCE).ignoreExceptions().untilAsserted(() ->
        assertThat(client.apps().statefulSets().inNamespace(namespace.name()).withName("erlmachine-host").get().getSpec().getReplicas())
            .as("the set shrinks when its highest host is empty").isEqualTo(1));
  }

  @Test
  void aMachineTooBigForAnyHostSaysSo(TestNamespace namespace) {
    Fixtures.create(namespace, machine("whale", "{resources: {requests: {memory: 4Gi}}}"));

    Machine whale = Fixtures.awaitMachine(namespace, "whale", m -> Fixtures.condition(m, "Ready").map(c -> "TooBigForHost".equals(c.getReason())).orElse(false));

    assertThat(Fixtures.condition(whale, "Ready").orElseThrow().getMessage()).contains("4096Mi", "1536Mi", "spec.hosting: Dedicated");
    assertThat(whale.getStatus().host()).isNull();
    assertThat(namespace.client().apps().statefulSets().inNamespace(namespace.name()).withName("erlmachine-host").get()).isNull();
    assertThat(namespace.client().v1().events().inNamespace(namespace.name()).withField("involvedObject.name", "whale").list().getItems())
        .as("a placement problem is a Warning event").anySatisfy(event -> {
          assertThat(event.getType()).isEqualTo("Warning");
          assertThat(event.getReason()).isEqualTo("TooBigForHost");
        });
  }

  @Test
  void sharedAndDedicatedMachinesLiveSideBySideAndTheHostsGoWithTheLastSharedOne(TestNamespace namespace) {
    Fixtures.create(namespace, machine("tenant", "{}"));
    Fixtures.create(namespace, machine("loner", "{hosting: Dedicated}"));
    Machine tenant = Fixtures.awaitReady(namespace, "tenant");
    Machine loner = Fixtures.awaitReady(namespace, "loner");

    KubernetesClient client = namespace.client();
    assertThat(tenant.getStatus().host()).isEqualTo("erlmachine-host-0");
    assertThat(loner.getStatus().hosting()).isEqualTo(Hosting.Dedicated);
    assertThat(loner.getStatus().host()).isNull();
    assertThat(client.pods().inNamespace(namespace.name()).withName("loner-0").get()).isNotNull();
    assertThat(client.services().inNamespace(namespace.name()).withName("loner").get().getSpec().getSelector()).containsEntry("erlmachine.io/machine", "loner");
    assertThat(client.network().networkPolicies().inNamespace(namespace.name()).withName("loner").get()).isNotNull();
    assertThat(client.configMaps().inNamespace(namespace.name()).withName("loner-config").get().getMetadata().getLabels()).doesNotContainKey(HostContract.HOST_LABEL);
    assertThat(client.discovery().v1().endpointSlices().inNamespace(namespace.name()).withName("loner").get()).isNull();

    client.resources(Machine.class).inNamespace(namespace.name()).withName("tenant").delete();

    await().atMost(PATIENCE).ignoreExceptions().untilAsserted(() -> {
      assertThat(client.apps().statefulSets().inNamespace(namespace.name()).withName("erlmachine-host").get()).isNull();
      assertThat(client.services().inNamespace(namespace.name()).withName("erlmachine-host").get()).isNull();
      assertThat(client.network().networkPolicies().inNamespace(namespace.name()).withName("erlmachine-host").get()).isNull();
      assertThat(client.rbac().roles().inNamespace(namespace.name()).withName("erlmachine-host").get()).isNull();
      assertThat(client.serviceAccounts().inNamespace(namespace.name()).withName("erlmachine-host").get()).isNull();
      assertThat(client.secrets().inNamespace(namespace.name()).withName("erlmachine-host-control").get()).isNull();
    });
    assertThat(Fixtures.awaitReady(namespace, "loner").getStatus().hosting()).isEqualTo(Hosting.Dedicated);
  }

  @Test
  void aMachineFromBeforeSharedHostingKeepsItsPod(TestNamespace namespace) {
    Fixtures.create(namespace, machine("veteran", "{hosting: Dedicated}"));
    Machine before = Fixtures.awaitReady(namespace, "veteran");
    String podUid = namespace.client().pods().inNamespace(namespace.name()).withName("veteran-0").get().getMetadata().getUid();

    // As stored before the upgrade: a serial in status, no hosting anywhere.
    namespace.kubectl().output("patch", "machine", "veteran", "-n", namespace.name(), "--subresource=status", "--type", "json",
        "-p", "[{\"op\":\"remove\",\"path\":\"/status/hosting\"}]");
    namespace.kubectl().output("patch", "machine", "veteran", "-n", namespace.name(), "--type", "json",
        "-p", "[{\"op\":\"remove\",\"path\":\"/spec/hosting\"}]");

    Machine after = Fixtures.awaitMachine(namespace, "veteran", m -> m.getStatus().observedGeneration() > before.getStatus().observedGeneration()
        && m.getStatus().hosting() != null && Fixtures.condition(m, "Ready").map(c -> "True".equals(c.getStatus())).orElse(false));
    assertThat(after.getSpec().hosting()).isNull();
    assertThat(after.getStatus().hosting()).isEqualTo(Hosting.Dedicated);
    assertThat(after.getStatus().serial()).isEqualTo(before.getStatus().serial());
    assertThat(namespace.client().pods().inNamespace(namespace.name()).withName("veteran-0").get().getMetadata().getUid()).isEqualTo(podUid);
    assertThat(namespace.client().network().networkPolicies().inNamespace(namespace.name()).withName("veteran").get()).isNotNull();
    assertThat(namespace.client().apps().statefulSets().inNamespace(namespace.name()).withName("erlmachine-host").get()).isNull();
  }

  @Test
  void switchingHostingMovesTheMachineAndLeavesNothingBehind(TestNamespace namespace) {
    Fixtures.create(namespace, machine("nomad", "{}"));
    long serial = Fixtures.awaitReady(namespace, "nomad").getStatus().serial();
    KubernetesClient client = namespace.client();

    namespace.kubectl().output("patch", "machine", "nomad", "-n", namespace.name(), "--type", "merge", "-p", "{\"spec\":{\"hosting\":\"Dedicated\"}}");

    Machine dedicated = Fixtures.awaitMachine(namespace, "nomad", m -> m.getStatus().hosting() == Hosting.Dedicated
        && m.getStatus().observedGeneration() == 2L && Fixtures.condition(m, "Ready").map(c -> "True".equals(c.getStatus())).orElse(false));
    assertThat(dedicated.getStatus().serial()).isEqualTo(serial);
    assertThat(dedicated.getStatus().host()).isNull();
    assertThat(client.pods().inNamespace(namespace.name()).withName("nomad-0").get()).isNotNull();
    assertThat(client.services().inNamespace(namespace.name()).withName("nomad").get().getSpec().getSelector()).containsEntry("erlmachine.io/machine", "nomad");
    assertThat(client.configMaps().inNamespace(namespace.name()).withName("nomad-config").get().getMetadata().getLabels()).doesNotContainKey(HostContract.HOST_LABEL);
    await().atMost(PATIENCE).ignoreExceptions().untilAsserted(() -> {
      assertThat(client.discovery().v1().endpointSlices().inNamespace(namespace.name()).withName("nomad").get()).isNull();
      assertThat(client.apps().statefulSets().inNamespace(namespace.name()).withName("erlmachine-host").get()).as("no shared machine left").isNull();
    });
    assertThat(moves(namespace, "nomad")).as("one Moving when the move starts, one Moved when it is Ready at its new place").containsExactlyInAnyOrder(
        "Moving: moving to a pod of its own; it starts there once host erlmachine-host-0 has stopped it",
        "Moved: moved: engine pod nomad-0 is ready");

    namespace.kubectl().output("patch", "machine", "nomad", "-n", namespace.name(), "--type", "merge", "-p", "{\"spec\":{\"hosting\":\"Shared\"}}");

    Machine shared = Fixtures.awaitMachine(namespace, "nomad", m -> m.getStatus().hosting() == Hosting.Shared
        && m.getStatus().observedGeneration() == 3L && Fixtures.condition(m, "Ready").map(c -> "True".equals(c.getStatus())).orElse(false));
    assertThat(shared.getStatus().serial()).isEqualTo(serial);
    assertThat(shared.getStatus().host()).isEqualTo("erlmachine-host-0");
    assertThat(client.secrets().inNamespace(namespace.name()).withName("erlmachine-host-control").get())
        .as("hosts that come back get a control token again").isNotNull();
    assertThat(client.apps().statefulSets().inNamespace(namespace.name()).withName("nomad").get()).isNull();
    assertThat(client.network().networkPolicies().inNamespace(namespace.name()).withName("nomad").get()).isNull();
    assertThat(client.serviceAccounts().inNamespace(namespace.name()).withName("nomad-engine").get()).isNull();
    assertThat(client.pods().inNamespace(namespace.name()).withName("nomad-0").get()).as("its old pod stopped before the host started it").isNull();
    assertThat(client.services().inNamespace(namespace.name()).withName("nomad").get().getSpec().getSelector()).isNullOrEmpty();
    assertThat(moves(namespace, "nomad")).as("each move recorded once as it starts and once as it ends").containsExactlyInAnyOrder(
        "Moving: moving to a pod of its own; it starts there once host erlmachine-host-0 has stopped it",
        "Moved: moved: engine pod nomad-0 is ready",
        "Moving: moving to host erlmachine-host-0, port " + shared.getStatus().port() + "; it starts there once its pod nomad-0 has stopped it",
        "Moved: moved: running on host erlmachine-host-0, port " + shared.getStatus().port());
  }

  /** The machine's Moving and Moved events as "reason: message", each of type Normal and recorded once. */
  private static List<String> moves(TestNamespace namespace, String machine) {
    List<Event> events = namespace.client().v1().events().inNamespace(namespace.name()).withField("involvedObject.name", machine).list().getItems()
        .stream().filter(event -> Set.of("Moving", "Moved").contains(event.getReason())).toList();
    assertThat(events).allSatisfy(event -> {
      assertThat(event.getType()).isEqualTo("Normal");
      assertThat(event.getCount()).isEqualTo(1);
    });
    return events.stream().map(event -> event.getReason() + ": " + event.getMessage()).toList();
  }

  @Test
  void aDrainEvictsOneHostAtATimeAndItsMachinesComeBackWithTheirSerialsAndPorts(TestNamespace namespace) throws InterruptedException {
    // 1Gi each: two do not fit into one host's 1.5Gi for machines, so the second makes a second host.
    Fixtures.create(namespace, machine("big-0", "{resources: {requests: {memory: 1Gi}}}"));
    Machine big0 = Fixtures.awaitReady(namespace, "big-0");
    Fixtures.create(namespace, machine("big-1", "{resources: {requests: {memory: 1Gi}}}"));
    Machine big1 = Fixtures.awaitReady(namespace, "big-1");
    Fixtures.create(namespace, machine("small", "{}"));
    Machine small = Fixtures.awaitReady(namespace, "small");
    assertThat(List.of(big0, big1, small)).extracting(m -> m.getStatus().host())
        .containsExactly("erlmachine-host-0", "erlmachine-host-1", "erlmachine-host-0");
    KubernetesClient client = namespace.client();
    String ns = namespace.name();

    PodDisruptionBudget budget = client.policy().v1().podDisruptionBudget().inNamespace(ns).withName("erlmachine-host").get();
    assertThat(budget.getSpec().getMaxUnavailable().getIntVal()).isEqualTo(1);
    assertThat(budget.getSpec().getSelector().getMatchLabels()).containsEntry("app.kubernetes.io/component", HostContract.COMPONENT);
    await().atMost(PATIENCE).untilAsserted(() -> assertThat(client.policy().v1().podDisruptionBudget().inNamespace(ns)
        .withName("erlmachine-host").get().getStatus()).satisfies(status -> {
          assertThat(status.getExpectedPods()).isEqualTo(2);
          assertThat(status.getDisruptionsAllowed()).isEqualTo(1);
        }));

    Pod host0 = client.pods().inNamespace(ns).withName("erlmachine-host-0").get();
    Pod host1 = client.pods().inNamespace(ns).withName("erlmachine-host-1").get();
    // As kubectl drain cordons its node: with every node cordoned, the evicted host's new pod waits, so "not back yet"
    // lasts (on kwok a new pod is otherwise running within a second).
    List<String> nodes = client.nodes().list().getItems().stream().map(node -> node.getMetadata().getName()).toList();
    long evicted;
    long uncordoned;
    try {
      nodes.forEach(node -> namespace.kubectl().output("cordon", node));
      evicted = System.nanoTime();
      LOG.info("drain: evicting host-0 at {}", java.time.Instant.now());
      assertThat(evict(client, ns, "erlmachine-host-0")).as("the first host may go").isTrue();
      await().atMost(PATIENCE).ignoreExceptions().until(() -> client.pods().inNamespace(ns).withName("erlmachine-host-0").get(),
          pod -> !pod.getMetadata().getUid().equals(host0.getMetadata().getUid()));
      for (int attempt = 0; attempt < 3; attempt++) {
        assertThat(evict(client, ns, "erlmachine-host-1")).as("429: a second host may not go while the first is away").isFalse();
        Thread.sleep(1000);
      }
      assertThat(client.pods().inNamespace(ns).withName("erlmachine-host-1").get()).satisfies(pod -> {
        assertThat(pod.getMetadata().getUid()).isEqualTo(host1.getMetadata().getUid());
        assertThat(pod.getMetadata().getDeletionTimestamp()).isNull();
      });
    } finally {
      nodes.forEach(node -> namespace.kubectl().output("uncordon", node));
      uncordoned = System.nanoTime();
    }

    Pod back = await().atMost(PATIENCE).ignoreExceptions().until(() -> client.pods().inNamespace(ns).withName("erlmachine-host-0").get(),
        pod -> !pod.getMetadata().getUid().equals(host0.getMetadata().getUid()) && ready(pod));
    awaitServedBy(namespace, back, big0, small);
    long hostBack = System.nanoTime();

    await().atMost(PATIENCE).pollInterval(Duration.ofMillis(500)).until(() -> evict(client, ns, "erlmachine-host-1"));
    long secondAllowed = System.nanoTime();
    Pod back1 = await().atMost(PATIENCE).ignoreExceptions().until(() -> client.pods().inNamespace(ns).withName("erlmachine-host-1").get(),
        pod -> !pod.getMetadata().getUid().equals(host1.getMetadata().getUid()) && ready(pod));
    awaitServedBy(namespace, back1, big1);
    LOG.info("drain: nodes uncordoned {} ms after host-0's eviction; its new pod scheduled {}, ready {} (pod's conditions); its machines"
        + " served again {} ms after the eviction; evicting host-1 was refused until {} ms after it; host-1's machines served again {} ms"
        + " after its eviction", Duration.ofNanos(uncordoned - evicted).toMillis(), condition(back, "PodScheduled"), condition(back, "Ready"),
        Duration.ofNanos(hostBack - evicted).toMillis(), Duration.ofNanos(secondAllowed - evicted).toMillis(),
        Duration.ofNanos(System.nanoTime() - secondAllowed).toMillis());

    List<Machine> after = client.resources(Machine.class).inNamespace(ns).list().getItems();
    assertThat(after.stream().map(m -> m.getStatus().host() + ":" + m.getStatus().port()).toList()).doesNotHaveDuplicates().hasSize(3);
    assertThat(client.apps().statefulSets().inNamespace(ns).withName("erlmachine-host").get().getSpec().getReplicas()).isEqualTo(2);
  }

  @Test
  void aHostThatStopsRenewingItsLeaseTakesOnlyItsOwnMachinesOutUntilItRenewsAgain(TestNamespace namespace) {
    // 1Gi each: two do not fit into one host's 1.5Gi for machines, so the second makes a second host.
    Fixtures.create(namespace, machine("steady", "{resources: {requests: {memory: 1Gi}}}"));
    Fixtures.awaitReady(namespace, "steady");
    Fixtures.create(namespace, machine("frozen", "{resources: {requests: {memory: 1Gi}}}"));
    Fixtures.awaitReady(namespace, "frozen");
    Fixtures.create(namespace, machine("neighbour", "{}"));
    Fixtures.awaitReady(namespace, "neighbour");
    KubernetesClient client = namespace.client();
    String ns = namespace.name();
    Map<String, Machine> before = Map.of("steady", Fixtures.awaitReady(namespace, "steady"), "neighbour", Fixtures.awaitReady(namespace, "neighbour"));
    assertThat(before.values()).extracting(m -> m.getStatus().host()).containsOnly("erlmachine-host-0");
    assertThat(Fixtures.awaitReady(namespace, "frozen").getStatus().host()).isEqualTo("erlmachine-host-1");

    // As a host whose process froze or whose node was cut off: no renewal, no event, its pod still Running and Ready.
    hosts().stopRenewing(ns, "erlmachine-host-1");
    Instant expires;
    Instant outOfService;
    Instant resumed;
    try {
      Lease lease = client.leases().inNamespace(ns).withName("erlmachine-host-1").get();
      Instant lastRenewal = lease.getSpec().getRenewTime().toInstant();
      expires = lastRenewal.plusSeconds(lease.getSpec().getLeaseDurationSeconds());
      Machine lapsed = Fixtures.awaitMachine(namespace, "frozen",
          m -> Fixtures.condition(m, "Ready").map(c -> "HostLeaseExpired".equals(c.getReason())).orElse(false));
      outOfService = Instant.now();
      assertThat(Fixtures.condition(lapsed, "Ready").orElseThrow()).satisfies(ready -> {
        assertThat(ready.getStatus()).isEqualTo("False");
        assertThat(ready.getMessage()).contains("host erlmachine-host-1 has not renewed its Lease since "
            + lastRenewal.truncatedTo(ChronoUnit.SECONDS), "lease duration 15 s");
      });
      assertThat(lapsed.getStatus().host()).as("it keeps its place").isEqualTo("erlmachine-host-1");
      assertThat(outOfService).as("not before the Lease ran out").isAfterOrEqualTo(expires);
      assertThat(Duration.between(expires, outOfService)).as("out of service within the lease duration and a small margin of the last renewal")
          .isLessThanOrEqualTo(LAPSE_MARGIN);
      await().atMost(Duration.ofSeconds(5)).ignoreExceptions()
          .untilAsserted(() -> assertThat(endpoint(namespace, "frozen").getConditions().getReady()).as("out of its Service").isFalse());
      assertThat(client.pods().inNamespace(ns).withName("erlmachine-host-1").get()).as("the pod itself still looks ready").satisfies(pod ->
          assertThat(ready(pod)).isTrue());
      assertThat(client.v1().events().inNamespace(ns).withField("involvedObject.name", "frozen").list().getItems())
          .filteredOn(event -> "HostLeaseExpired".equals(event.getReason())).singleElement()
          .satisfies(event -> assertThat(event.getType()).isEqualTo("Warning"));
      before.forEach((name, machine) -> {
        Machine now = Fixtures.awaitReady(namespace, name);
        assertThat(Fixtures.condition(now, "Ready").orElseThrow().getLastTransitionTime()).as(name + " on the other host, untouched")
            .isEqualTo(Fixtures.condition(machine, "Ready").orElseThrow().getLastTransitionTime());
        assertThat(endpoint(namespace, name).getConditions().getReady()).as(name + " keeps serving").isTrue();
      });
    } finally {
      hosts().resumeRenewing(ns, "erlmachine-host-1");
      resumed = Instant.now();
    }

    Machine back = Fixtures.awaitReady(namespace, "frozen");
    Instant readyAgain = Instant.now();
    assertThat(back.getStatus().host()).isEqualTo("erlmachine-host-1");
    await().atMost(Duration.ofSeconds(5)).ignoreExceptions()
        .untilAsserted(() -> assertThat(endpoint(namespace, "frozen").getConditions().getReady()).as("back in its Service").isTrue());
    LOG.info("lease lapse: host-1's machine out of service {} ms after its Lease expired ({} ms after its last renewal); Ready again {} ms"
        + " after the host renewed again", Duration.between(expires, outOfService).toMillis(),
        Duration.between(expires.minus(HostStandIn.LEASE_DURATION), outOfService).toMillis(), Duration.between(resumed, readyAgain).toMillis());
  }

  /** Each machine Ready again with its serial, host and port, and its endpoint at the host's new pod. */
  private static void awaitServedBy(TestNamespace namespace, Pod host, Machine... before) {
    for (Machine machine : before) {
      String name = machine.getMetadata().getName();
      await().atMost(PATIENCE).ignoreExceptions().untilAsserted(() -> {
        Machine now = Fixtures.awaitReady(namespace, name);
        assertThat(now.getStatus().serial()).isEqualTo(machine.getStatus().serial());
        assertThat(now.getStatus().host()).isEqualTo(machine.getStatus().host());
        assertThat(now.getStatus().port()).isEqualTo(machine.getStatus().port());
        assertThat(endpoint(namespace, name).getAddresses()).containsExactly(host.getStatus().getPodIP());
        assertThat(endpoint(namespace, name).getConditions().getReady()).isTrue();
      });
    }
  }

  /** An eviction through the Eviction API: true when granted, false exactly when the API server answers 429 (the budget). */
  private static boolean evict(KubernetesClient client, String namespace, String pod) {
    return client.pods().inNamespace(namespace).withName(pod)
        .evict(new EvictionBuilder().withNewMetadata().withName(pod).withNamespace(namespace).endMetadata().build());
  }

  private static String condition(Pod pod, String type) {
    return pod.getStatus().getConditions().stream().filter(c -> type.equals(c.getType())).map(c -> c.getLastTransitionTime())
        .findFirst().orElse("never");
  }

  private static boolean ready(Pod pod) {
    return pod.getMetadata().getDeletionTimestamp() == null && pod.getStatus() != null && pod.getStatus().getConditions() != null
        && pod.getStatus().getConditions().stream().anyMatch(c -> "Ready".equals(c.getType()) && "True".equals(c.getStatus()));
  }

  private static HostStandIn hosts() {
    return HostStandIn.ensureRunning(null);
  }

  private static String machine(String name, String spec) {
    return "{apiVersion: erlmachine.io/v1alpha1, kind: Machine, metadata: {name: " + name + "}, spec: " + spec + "}";
  }

  private static EndpointSlice slice(TestNamespace namespace, String machine) {
    return namespace.client().discovery().v1().endpointSlices().inNamespace(namespace.name()).withName(machine).get();
  }

  private static Endpoint endpoint(TestNamespace namespace, String machine) {
    return slice(namespace, machine).getEndpoints().getFirst();
  }

  /** Each machine's serial, host and port, by name. */
  private static Map<String, String> identities(List<Machine> machines) {
    return machines.stream().collect(Collectors.toMap(m -> m.getMetadata().getName(),
        m -> m.getStatus().serial() + "@" + m.getStatus().host() + ":" + m.getStatus().port()));
  }

  private static long readyCount(TestNamespace namespace) {
    return namespace.client().resources(Machine.class).inNamespace(namespace.name()).list().getItems().stream()
        .filter(m -> Fixtures.condition(m, "Ready").map(c -> "True".equals(c.getStatus())).orElse(false))
        .count();
  }
}
