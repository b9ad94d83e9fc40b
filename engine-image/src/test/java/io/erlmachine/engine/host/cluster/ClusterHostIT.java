package io.erlmachine.engine.host.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.erlmachine.api.config.MachineConfig;
import io.erlmachine.api.config.MachineConfigCodec;
import io.erlmachine.api.config.TransmissionRenderer;
import io.erlmachine.api.host.HostContract;
import io.erlmachine.api.host.MachineReports;
import io.erlmachine.api.v1alpha1.ApiGroup;
import io.erlmachine.engine.TestConfigs;
import io.erlmachine.testkit.KwokClusterExtension;
import io.erlmachine.testkit.TestNamespace;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.api.model.coordination.v1.Lease;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Real engine host processes in cluster host mode against the test cluster's API server: machines follow the
 * ConfigMaps labelled with the host's name, their reports appear on the host's Lease, and the Lease fences the host
 * so that two processes of the same host name never serve at once.
 */
@ExtendWith(KwokClusterExtension.class)
class ClusterHostIT {
  private static final String HOST = HostContract.hostName(0);
  private static final Duration STARTUP = Duration.ofMinutes(3);
  private static final Duration SERVES_WITHIN = Duration.ofSeconds(5);
  private static final Pattern IDENTITY = Pattern.compile("holder identity (\\S+)\\)");
  private static final DateTimeFormatter MICRO_TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSSSSSX").withZone(ZoneOffset.UTC);
  private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

  @Test
  void machinesFollowTheirConfigMapsAndTheirReportsAppearOnTheLease(TestNamespace namespace,
                                                                    KwokClusterExtension.ClusterAccess cluster) throws Exception {
    Machines machines = new Machines(namespace);
    try (HostProcess host = new HostProcess("host", HOST, namespace.name(), cluster.kubeconfig())) {
      awaitHolding(host);
      Lease lease = machines.lease();
      assertThat(lease.getMetadata().getLabels()).containsEntry(HostLease.COMPONENT_LABEL, HostContract.COMPONENT)
          .containsEntry(HostLease.MANAGED_BY_LABEL, HostLease.MANAGED_BY);
      assertThat(lease.getSpec().getHolderIdentity()).isEqualTo(identity(host)).startsWith(HOST + "_");

      long created = System.nanoTime();
      machines.apply("alpha", 1, Map.of());
      await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(50)).until(() -> machines.ready("alpha"));
      Duration servedAfter = Duration.ofNanos(System.nanoTime() - created);
      System.out.printf("[ClusterHostIT] alpha served %d ms after its ConfigMap was created%n", servedAfter.toMillis());
      assertThat(servedAfter).isLessThan(SERVES_WITHIN);
      await().atMost(Duration.ofSeconds(10)).until(() -> machines.reports().get("alpha"),
          report -> report != null && report.ready() && report.serial() == machines.serial("alpha") && report.generation() == 1);
      assertThat(machines.reports().get("alpha").reason()).isEqualTo(MachineReporter.RUNNING);

      // Three machines of 400 KiB of application data each: 1.2 MiB of configs on one host.
      String bulk = "x".repeat(400 * 1024);
      long bulkCreated = System.nanoTime();
      for (String name : List.of("beta", "gamma", "delta")) {
        machines.apply(name, 1, Map.of("bulk", bulk));
      }
      await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(50))
          .until(() -> machines.ready("beta") && machines.ready("gamma") && machines.ready("delta"));
      System.out.printf("[ClusterHostIT] three 400 KiB machines served %d ms after their ConfigMaps were created%n",
          Duration.ofNanos(System.nanoTime() - bulkCreated).toMillis());
      assertThat(machines.get("gamma", "/api/v1/machine")).contains("\"gamma\"");
      await().atMost(Duration.ofSeconds(10)).until(() -> machines.reports().values().stream()
          .filter(MachineReports.Report::ready).count() == 4);

      machines.post("beta", "/api/v1/gearboxes/g/gears/in/messages", "{\"n\": 1}");
      await().atMost(Duration.ofSeconds(30)).until(() -> machines.get("beta", "/api/v1/gearboxes/g/gears/count/state").contains("1"));
      String betaBefore = machines.get("beta", "/api/v1/gearboxes/g/gears/count/state");
      String betaReload = lastReload(host, "beta");
      machines.apply("alpha", 2, Map.of("note", "second generation"));
      await().atMost(Duration.ofSeconds(10)).until(() -> machines.reports().get("alpha"),
          report -> report != null && report.ready() && report.generation() == 2);
      assertThat(machines.get("alpha", "/api/v1/gearboxes/g/gears/count2")).as("the update reached alpha").contains("count2");
      assertThat(lastReload(host, "beta")).as("beta was not reloaded").isEqualTo(betaReload);
      assertThat(machines.get("beta", "/api/v1/gearboxes/g/gears/count/state")).as("beta kept its state").isEqualTo(betaBefore);
      assertThat(machines.reports().get("beta").generation()).isEqualTo(1);

      machines.applyRaw("broken", "machine: [this is not a machine config\n");
      machines.applyClash("clash");
      await().atMost(Duration.ofSeconds(10)).until(() -> machines.reports(),
          reports -> reports.containsKey("broken") && reports.containsKey("clash"));
      Map<String, MachineReports.Report> reports = machines.reports();
      assertThat(reports.get("broken").ready()).isFalse();
      assertThat(reports.get("broken").reason()).isEqualTo(MachineReporter.CONFIG_REJECTED);
      assertThat(reports.get("broken").serial()).isEqualTo(machines.serial("broken"));
      assertThat(reports.get("broken").message()).isNotBlank();
      assertThat(reports.get("clash").reason()).isEqualTo(MachineReporter.CONFIG_REJECTED);
      assertThat(reports.get("clash").message()).contains("already used by machine");
      for (String name : List.of("alpha", "beta", "gamma", "delta")) {
        assertThat(reports.get(name).ready()).as(name + " still serves beside the rejected configs").isTrue();
        assertThat(machines.ready(name)).isTrue();
      }

      machines.delete("beta");
      await().atMost(Duration.ofSeconds(10)).until(() -> !machines.answers("beta") && !machines.reports().containsKey("beta"));
      assertThat(machines.ready("alpha")).isTrue();
    }
  }

  @Test
  void onlyTheLeaseHolderServesAndAnotherProcessTakesOverAfterAKillOrAStop(TestNamespace namespace,
                                                                           KwokClusterExtension.ClusterAccess cluster) throws Exception {
    Machines machines = new Machines(namespace);
    machines.apply("alpha", 1, Map.of());
    try (HostProcess first = new HostProcess("first", HOST, namespace.name(), cluster.kubeconfig());
         HostProcess second = new HostProcess("second", HOST, namespace.name(), cluster.kubeconfig())) {
      await().atMost(STARTUP).until(() -> first.said("holds Lease") || second.said("holds Lease"));
      HostProcess holder = first.said("holds Lease") ? first : second;
      HostProcess waiting = holder == first ? second : first;
      await().atMost(STARTUP).until(() -> waiting.said("is held by " + identity(holder)));
      await().atMost(Duration.ofSeconds(30)).until(() -> machines.ready("alpha"));
      // Several renewals long, the waiting process runs nothing and is not ready.
      long watchUntil = System.nanoTime() + Duration.ofSeconds(12).toNanos();
      while (System.nanoTime() < watchUntil) {
        assertThat(running(waiting)).as("the process without the Lease runs no machine").isZero();
        assertThat(waiting.readiness()).isEqualTo(503);
        assertThat(running(holder)).isEqualTo(1);
        Thread.sleep(500);
      }
      assertThat(machines.lease().getSpec().getHolderIdentity()).isEqualTo(identity(holder));

      holder.kill();
      long killed = System.nanoTime();
      await().atMost(Duration.ofSeconds(40)).pollInterval(Duration.ofMillis(100)).until(() -> running(waiting) == 1);
      Duration takeover = Duration.ofNanos(System.nanoTime() - killed);
      await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(100)).until(() -> machines.ready("alpha"));
      Duration serving = Duration.ofNanos(System.nanoTime() - killed);
      System.out.printf("[ClusterHostIT] after SIGKILL of the holder: the other process took the Lease after %d ms, alpha served"
          + " again after %d ms%n", takeover.toMillis(), serving.toMillis());
      assertThat(takeover).as("the Lease of a killed holder is taken only after it expired").isGreaterThan(Duration.ofSeconds(9))
          .as("and soon after").isLessThan(Duration.ofSeconds(25));
      assertThat(machines.lease().getSpec().getHolderIdentity()).isEqualTo(identity(waiting));
      await().atMost(Duration.ofSeconds(10)).until(() -> machines.reports().get("alpha"), report -> report != null && report.ready());

      try (HostProcess third = new HostProcess("third", HOST, namespace.name(), cluster.kubeconfig())) {
        await().atMost(STARTUP).until(() -> third.said("is held by " + identity(waiting)));
        assertThat(running(third)).isZero();
        long stopped = System.nanoTime();
        waiting.stop();
        await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(50)).until(() -> machines.ready("alpha") && running(third) == 1);
        Duration handover = Duration.ofNanos(System.nanoTime() - stopped);
        System.out.printf("[ClusterHostIT] after SIGTERM of the holder: alpha served by the next process %d ms after the signal%n",
            handover.toMillis());
        assertThat(waiting.said("released Lease")).isTrue();
        // At once: well before the Lease would expire (15 s), after the drain minimum (2 s) and the machine's start.
        assertThat(handover).as("a stopped holder gives its Lease back, so the next process starts at once")
            .isLessThan(Duration.ofSeconds(12));
        assertThat(machines.lease().getSpec().getHolderIdentity()).isEqualTo(identity(third));
      }
    }
  }

  @Test
  void aHostWhoseLeaseWasTakenStopsEveryMachineAndServesAgainOnceItHoldsItAgain(TestNamespace namespace,
                                                                                 KwokClusterExtension.ClusterAccess cluster) throws Exception {
    Machines machines = new Machines(namespace);
    machines.apply("alpha", 1, Map.of());
    machines.apply("beta", 1, Map.of());
    try (HostProcess host = new HostProcess("host", HOST, namespace.name(), cluster.kubeconfig())) {
      awaitHolding(host);
      await().atMost(Duration.ofSeconds(30)).until(() -> machines.ready("alpha") && machines.ready("beta"));
      namespace.client().leases().inNamespace(namespace.name()).withName(HOST).patch(PatchContext.of(PatchType.JSON_MERGE),
          "{\"spec\": {\"holderIdentity\": \"intruder\", \"renewTime\": \"" + MICRO_TIME.format(Instant.now()) + "\"}}");
      long taken = System.nanoTime();
      await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(50))
          .until(() -> !machines.answers("alpha") && !machines.answers("beta"));
      System.out.printf("[ClusterHostIT] the host stopped its machines %d ms after its Lease was taken%n",
          Duration.ofNanos(System.nanoTime() - taken).toMillis());
      assertThat(host.readiness()).isEqualTo(503);
      await().atMost(Duration.ofSeconds(40)).pollInterval(Duration.ofMillis(100)).until(() -> machines.ready("alpha") && machines.ready("beta"));
      System.out.printf("[ClusterHostIT] the host served again %d ms after its Lease was taken (the intruder never renewed)%n",
          Duration.ofNanos(System.nanoTime() - taken).toMillis());
      assertThat(machines.lease().getSpec().getHolderIdentity()).isEqualTo(identity(host));
    }
  }

  @Test
  void aHostCutOffFromTheApiServerStopsItsMachinesBeforeAnotherProcessMayTakeOver(TestNamespace namespace,
                                                                                   KwokClusterExtension.ClusterAccess cluster) throws Exception {
    Machines machines = new Machines(namespace);
    machines.apply("alpha", 1, Map.of());
    try (ApiProxy proxy = new ApiProxy(cluster.kubeconfig());
         HostProcess cutOff = new HostProcess("cut-off", HOST, namespace.name(), proxy.kubeconfig)) {
      awaitHolding(cutOff);
      await().atMost(Duration.ofSeconds(30)).until(() -> machines.ready("alpha"));
      try (HostProcess successor = new HostProcess("successor", HOST, namespace.name(), cluster.kubeconfig())) {
        await().atMost(STARTUP).until(() -> successor.said("is held by " + identity(cutOff)));
        proxy.cut();
        long cut = System.nanoTime();
        long stopped = -1;
        long taken = -1;
        while ((stopped < 0 || taken < 0) && System.nanoTime() - cut < Duration.ofSeconds(40).toNanos()) {
          long now = System.nanoTime();
          if (stopped < 0 && running(cutOff) == 0) {
            stopped = now - cut;
          }
          if (taken < 0 && running(successor) == 1) {
            taken = now - cut;
            assertThat(stopped).as("the cut-off host has stopped its machine before the successor starts it").isNotNegative();
          }
          Thread.sleep(100);
        }
        System.out.printf("[ClusterHostIT] cut off from the API server, the host stopped its machines after %d ms; the successor"
            + " took over after %d ms%n", Duration.ofNanos(stopped).toMillis(), Duration.ofNanos(taken).toMillis());
        assertThat(taken).as("the successor took over").isPositive();
        assertThat(Duration.ofNanos(stopped)).as("stopped at the renew deadline, before the Lease expires")
            .isLessThan(Duration.ofSeconds(15));
        assertThat(cutOff.said("stopping every machine: the Lease was not renewed")).isTrue();
        assertThat(machines.ready("alpha")).isTrue();
        assertThat(machines.lease().getSpec().getHolderIdentity()).isEqualTo(identity(successor));
      }
    }
  }

  @Test
  void aStoppedHostFinishesEveryMessageItAcceptedBeforeTheNextProcessTakesOver(TestNamespace namespace,
                                                                                KwokClusterExtension.ClusterAccess cluster) throws Exception {
    Machines machines = new Machines(namespace);
    try (MessageRecorder recorder = new MessageRecorder(8)) {
      machines.applyRelay("alpha", recorder.port());
      try (HostProcess first = new HostProcess("first", HOST, namespace.name(), cluster.kubeconfig());
           HostProcess second = new HostProcess("second", HOST, namespace.name(), cluster.kubeconfig())) {
        await().atMost(STARTUP).until(() -> first.said("holds Lease") || second.said("holds Lease"));
        HostProcess holder = first.said("holds Lease") ? first : second;
        HostProcess successor = holder == first ? second : first;
        await().atMost(STARTUP).until(() -> successor.said("is held by " + identity(holder)));
        await().atMost(Duration.ofSeconds(30)).until(() -> machines.ready("alpha"));

        Set<Long> acceptedBeforeTheSignal;
        Set<Long> handledWhenItExited;
        Duration exited;
        Duration servedAgain;
        long backlog;
        try (SteadySenders senders = new SteadySenders(machines.url("alpha") + "/api/v1/gearboxes/g/gears/in/messages", 4)) {
          // Until the gearbox has a backlog: the recorder answers slower than the senders send. (in and relay share their
          // gearbox's lane, so most of it waits in the mailbox of in.)
          try {
            await().atMost(Duration.ofSeconds(60)).until(() -> machines.mailboxDepth("alpha", "in") + machines.mailboxDepth("alpha", "relay") >= 300);
          } catch (org.awaitility.core.ConditionTimeoutException e) {
            throw new AssertionError("no backlog in the gearbox: " + machines.get("alpha", "/api/v1/gearboxes/g/gears/relay") + "; accepted "
                + senders.accepted().size() + ", refused " + senders.refused() + ", recorded " + recorder.handled().size()
                + "; dead letters " + machines.get("alpha", "/api/v1/dead-letters"), e);
          }
          backlog = machines.mailboxDepth("alpha", "in") + machines.mailboxDepth("alpha", "relay");
          long signal = System.nanoTime();
          acceptedBeforeTheSignal = senders.accepted();
          holder.stop();
          exited = Duration.ofNanos(System.nanoTime() - signal);
          handledWhenItExited = recorder.handled();
          await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(50)).until(() -> running(successor) == 1 && machines.ready("alpha"));
          servedAgain = Duration.ofNanos(System.nanoTime() - signal);
          int acceptedSoFar = senders.accepted().size();
          await().atMost(Duration.ofSeconds(30)).until(() -> senders.accepted().size() > acceptedSoFar + 100);
          senders.close();
          Set<Long> accepted = senders.accepted();
          await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> assertThat(recorder.handled())
              .as("every accepted message was handled, by the stopped host or the next").containsAll(accepted));
          System.out.printf("[ClusterHostIT] rolling a host under load: %d messages accepted before SIGTERM, %d of them queued at"
              + " the signal; %d handled when the process exited %d ms after the signal; the next process served again %d ms after"
              + " the signal; in all %d accepted, %d handled; not accepted: %s; host log: %s%n",
              acceptedBeforeTheSignal.size(), backlog, handledWhenItExited.size(), exited.toMillis(), servedAgain.toMillis(),
              accepted.size(), recorder.handled().size(), senders.refused(), drainLines(holder));
          assertThat(handledWhenItExited).as("every message the stopped host accepted was handled before it exited")
              .containsAll(acceptedBeforeTheSignal);
          assertThat(recorder.handled()).as("every accepted message was handled, by the stopped host or the next").containsAll(accepted);
          assertThat(senders.refused()).as("while it drained, the host refused new messages and said why")
              .containsKey("503 ShuttingDown");
        }
        assertThat(backlog).as("the host had work left when it was stopped").isGreaterThan(100);
        assertThat(holder.said("drained in")).isTrue();
        assertThat(holder.said("released Lease")).isTrue();
        assertThat(exited).as("within the drain timeout and the pod's grace period").isLessThan(Duration.ofSeconds(30));
        assertThat(machines.lease().getSpec().getHolderIdentity()).isEqualTo(identity(successor));
      }
    }
  }

  /**
   * A machine on another host sends by transmission, with the default delivery policy (5 retries over about 3 s), into a
   * machine whose host is stopped and replaced by a process that starts only once the first one has exited, as a
   * StatefulSet replaces a pod, which takes far longer: the target's 503 ShuttingDown tells the sender that it moves, so
   * the sender holds its messages until the next process serves the target, spending no retries.
   */
  @Test
  void aTransmissionIntoAStoppedHostWaitsForTheNextProcessAndDeadLettersNothing(TestNamespace namespace,
                                                                                 KwokClusterExtension.ClusterAccess cluster) throws Exception {
    Machines machines = new Machines(namespace);
    String source = HostContract.hostName(1);
    Path hostsFile = Files.createTempFile(Path.of("target"), "hosts", ".txt");
    Files.writeString(hostsFile, machines.address("alpha") + " " + machines.dnsName("alpha") + "\n");
    try (MessageRecorder recorder = new MessageRecorder(10)) {
      // Room in alpha's mailbox for what beta holds while alpha moves (up to 16 batches of 64 arrive at once).
      machines.applyRelay("alpha", recorder.port(), 5000);
      machines.applyForwarder("beta", source, "alpha");
      try (HostProcess first = new HostProcess("first", HOST, namespace.name(), cluster.kubeconfig());
           HostProcess sender = new HostProcess("sender", source, namespace.name(), cluster.kubeconfig(),
               Map.of("ERLMACHINE_ENGINE_PEER_PORT", Integer.toString(machines.port("alpha"))),
               List.of("-Djdk.net.hosts.file=" + hostsFile.toAbsolutePath()))) {
        awaitHolding(first);
        await().atMost(STARTUP).until(() -> machines.ready("alpha") && machines.ready("beta"));

        Duration servedAgain;
        Set<Long> accepted;
        JsonNode counters;
        // A little faster than alpha's relay (10 ms a message at the recorder), so that alpha has a backlog to drain.
        try (SteadySenders senders = new SteadySenders(machines.url("beta") + "/api/v1/gearboxes/g/gears/in/messages", 1,
            Duration.ofMillis(5))) {
          await().atMost(Duration.ofSeconds(90)).until(() -> machines.mailboxDepth("alpha", "in") + machines.mailboxDepth("alpha", "relay") >= 150);
          long signal = System.nanoTime();
          first.stop();
          try (HostProcess next = new HostProcess("next", HOST, namespace.name(), cluster.kubeconfig())) {
            await().atMost(STARTUP).pollInterval(Duration.ofMillis(50)).until(() -> running(next) == 1 && machines.ready("alpha"));
            servedAgain = Duration.ofNanos(System.nanoTime() - signal);
            int acceptedSoFar = senders.accepted().size();
            await().atMost(Duration.ofSeconds(60)).until(() -> senders.accepted().size() > acceptedSoFar + 100);
            senders.close();
            accepted = senders.accepted();
            try {
              await().atMost(Duration.ofSeconds(120)).until(() -> recorder.handled().containsAll(accepted));
            } catch (org.awaitility.core.ConditionTimeoutException e) {
              Set<Long> missing = new java.util.TreeSet<>(accepted);
              missing.removeAll(recorder.handled());
              throw new AssertionError(missing.size() + " accepted messages did not reach the target, from " + missing.iterator().next()
                  + "; the sender's transmission " + machines.transmissionCounters("beta", "to-alpha") + "; its dead letters "
                  + abbreviate(machines.get("beta", "/api/v1/dead-letters")) + "; the target's dead letters "
                  + abbreviate(machines.get("alpha", "/api/v1/dead-letters")), e);
            }
          }
          counters = machines.transmissionCounters("beta", "to-alpha");
          System.out.printf("[ClusterHostIT] a transmission into a rolling host: the target served again %d ms after its host's"
              + " SIGTERM; %d accepted by the sending machine, %d handled at the target; transmission counters %s; not accepted: %s;"
              + " host log: %s%n", servedAgain.toMillis(), accepted.size(), recorder.handled().size(), counters, senders.refused(),
              drainLines(first));
        }
        assertThat(servedAgain).as("far longer than the default retries span (about 3 s)").isGreaterThan(Duration.ofSeconds(8));
        assertThat(counters.path("deadLettered").asLong()).as("nothing dead-lettered with the default 5 retries").isZero();
        assertThat(counters.path("heldForMove").asLong()).as("the sender waited for the moving target").isPositive();
        assertThat(machines.get("beta", "/api/v1/dead-letters")).doesNotContain("to-alpha");
        assertThat(first.said("released Lease")).isTrue();
      }
    }
  }

  private static String abbreviate(String text) {
    return text.length() > 3000 ? text.substring(0, 3000) + "..." : text;
  }

  private static String drainLines(HostProcess host) {
    return host.output.stream().filter(line -> line.contains("drain")).reduce((a, b) -> a + " | " + b).orElse("no drain logged");
  }

  private static void awaitHolding(HostProcess host) {
    await().atMost(STARTUP).pollInterval(Duration.ofMillis(200))
        .failFast(() -> assertThat(host.alive()).as(() -> host.label + " exited").isTrue())
        .until(() -> host.readiness() == 200);
  }

  private static String identity(HostProcess host) {
    return host.output.stream().map(IDENTITY::matcher).filter(Matcher::find).map(m -> m.group(1)).findFirst()
        .orElseThrow(() -> new AssertionError(host.label + " did not log its holder identity"));
  }

  private static int running(HostProcess host) throws IOException {
    var state = host.state();
    return state == null ? -1 : state.path("machines").asInt();
  }

  private static String lastReload(HostProcess host, String machine) throws IOException {
    for (var entry : host.state().path("running")) {
      if (entry.path("name").asText().equals(machine)) {
        return entry.path("lastReload").path("at").asText();
      }
    }
    throw new AssertionError(machine + " does not run");
  }

  /** The config ConfigMaps of one namespace's machines on the host, and the machines as they answer. */
  private static final class Machines {
    private static final List<String> NAMES = List.of("alpha", "beta", "gamma", "delta", "broken", "clash");
    private final TestNamespace namespace;

    Machines(TestNamespace namespace) {
      this.namespace = namespace;
    }

    int slotOf(String name) {
      return NAMES.indexOf(name) + 1;
    }

    long serial(String name) {
      return 500 + slotOf(name);
    }

    String address(String name) {
      return "127.0.13." + (10 + slotOf(name));
    }

    int port(String name) {
      return 24100 + slotOf(name);
    }

    String url(String name) {
      return "http://" + address(name) + ":" + port(name);
    }

    String dnsName(String name) {
      return name + "." + namespace.name() + ".svc.cluster.local";
    }

    void apply(String name, long generation, Map<String, String> data) {
      TestConfigs.Gearbox gearbox = new TestConfigs.Gearbox("g").gear("in", "endpoint").gear("count", "counter").shaft("in", "count");
      if (generation > 1) {
        gearbox.gear("count2", "counter").shaft("in", "count2");
      }
      MachineConfig config = new MachineConfig(MachineConfig.FORMAT,
          new MachineConfig.Identity(name, namespace.name(), serial(name), name + "." + namespace.name() + ".svc.cluster.local"),
          "Engaged", new MachineConfig.Limits(100, 1 << 20, 2000, 10_000_000, 2000), List.of(), data, List.of(gearbox.build()),
          List.of(), new MachineConfig.Listener(address(name), port(name)));
      write(name, generation, MachineConfigCodec.toYaml(config));
    }

    /** in -> relay: the relay reports each message's number to the recorder, and fails (the message is dead-lettered) if it cannot. */
    void applyRelay(String name, int recorderPort) {
      applyRelay(name, recorderPort, 500);
    }

    void applyRelay(String name, int recorderPort, int mailboxCapacity) {
      TestConfigs.Gearbox gearbox = new TestConfigs.Gearbox("g").gear("in", "endpoint")
          .js("relay", "export function receive(m, gear) {\n"
              + "  const answer = gear.http.post('http://127.0.0.1:" + recorderPort + "/handled', { n: m.body.n });\n"
              + "  if (answer.status !== 200) { throw new Error('the recorder answered ' + answer.status); }\n"
              + "}\n")
          .shaft("in", "relay");
      MachineConfig config = new MachineConfig(MachineConfig.FORMAT,
          new MachineConfig.Identity(name, namespace.name(), serial(name), name + "." + namespace.name() + ".svc.cluster.local"),
          "Engaged", new MachineConfig.Limits(mailboxCapacity, 1 << 20, 5000, 10_000_000, 2000), List.of("127.0.0.1:" + recorderPort), Map.of(),
          List.of(gearbox.build()), List.of(), new MachineConfig.Listener(address(name), port(name)));
      write(name, 1, MachineConfigCodec.toYaml(config));
    }

    /**
     * in -> a Pipeline transmission to the target machine's gear in, with the default delivery policy, on the given host.
     */
    void applyForwarder(String name, String host, String target) {
      TestConfigs.Gearbox gearbox = new TestConfigs.Gearbox("g").gear("in", "endpoint");
      MachineConfig.RouteConfig route = new MachineConfig.RouteConfig("to-" + target, "Pipeline", "g", "in",
          List.of(new MachineConfig.TargetConfig(target, dnsName(target), "g", "in")),
          new MachineConfig.Delivery(TransmissionRenderer.DEFAULT_MAX_RETRIES, 100, 10_000, 5_000, null, null), "Engaged");
      MachineConfig config = new MachineConfig(MachineConfig.FORMAT,
          new MachineConfig.Identity(name, namespace.name(), serial(name), dnsName(name)),
          "Engaged", new MachineConfig.Limits(500, 1 << 20, 5000, 10_000_000, 2000), List.of(), Map.of(),
          List.of(gearbox.build()), List.of(route), new MachineConfig.Listener(address(name), port(name)));
      write(name, host, 1, MachineConfigCodec.toYaml(config));
    }

    JsonNode transmissionCounters(String name, String transmission) throws Exception {
      for (JsonNode entry : new com.fasterxml.jackson.databind.ObjectMapper().readTree(get(name, "/api/v1/transmissions"))) {
        if (transmission.equals(entry.path("name").asText())) {
          return entry.path("counters");
        }
      }
      throw new AssertionError(name + " has no transmission " + transmission);
    }

    long mailboxDepth(String name, String gear) throws Exception {
      return new com.fasterxml.jackson.databind.ObjectMapper().readTree(get(name, "/api/v1/gearboxes/g/gears/" + gear))
          .path("counters").path("mailboxDepth").asLong();
    }

    /** A config that wants alpha's listener. */
    void applyClash(String name) {
      MachineConfig config = new MachineConfig(MachineConfig.FORMAT,
          new MachineConfig.Identity(name, namespace.name(), serial(name), name + "." + namespace.name() + ".svc.cluster.local"),
          "Engaged", new MachineConfig.Limits(100, 1 << 20, 2000, 10_000_000, 2000), List.of(), Map.of(),
          List.of(new TestConfigs.Gearbox("g").gear("in", "endpoint").build()), List.of(),
          new MachineConfig.Listener(address("alpha"), port("alpha")));
      write(name, 1, MachineConfigCodec.toYaml(config));
    }

    void applyRaw(String name, String text) {
      write(name, 1, text);
    }

    private void write(String name, long generation, String text) {
      write(name, HOST, generation, text);
    }

    private void write(String name, String host, long generation, String text) {
      ConfigMap configMap = new ConfigMapBuilder().withNewMetadata().withName(name + "-config").withNamespace(namespace.name())
          .addToLabels(HostContract.HOST_LABEL, host).addToLabels(ApiGroup.MACHINE_LABEL, name)
          .addToLabels(ApiGroup.SERIAL_LABEL, Long.toString(serial(name)))
          .addToAnnotations(HostContract.GENERATION_ANNOTATION, Long.toString(generation))
          .endMetadata().addToData(HostContract.CONFIG_KEY, text).build();
      namespace.client().configMaps().inNamespace(namespace.name()).resource(configMap).forceConflicts().serverSideApply();
    }

    void delete(String name) {
      namespace.client().configMaps().inNamespace(namespace.name()).withName(name + "-config").delete();
    }

    Lease lease() {
      return namespace.client().leases().inNamespace(namespace.name()).withName(HOST).get();
    }

    Map<String, MachineReports.Report> reports() {
      Lease lease = lease();
      return lease == null || lease.getMetadata().getAnnotations() == null ? Map.of()
          : MachineReports.fromJson(lease.getMetadata().getAnnotations().get(HostContract.REPORTS_ANNOTATION));
    }

    /** The machine's own readiness probe at its own listener says ready. */
    boolean ready(String name) {
      return HostProcess.status(url(name) + "/q/health/ready") == 200;
    }

    boolean answers(String name) {
      return HostProcess.status(url(name) + "/api/v1/machine") != 0;
    }

    String get(String name, String path) throws Exception {
      return HTTP.send(HttpRequest.newBuilder(URI.create(url(name) + path)).build(), HttpResponse.BodyHandlers.ofString()).body();
    }

    void post(String name, String path, String body) throws Exception {
      HttpResponse<String> response = HTTP.send(HttpRequest.newBuilder(URI.create(url(name) + path))
          .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body)).build(),
          HttpResponse.BodyHandlers.ofString());
      assertThat(response.statusCode()).as(response.body()).isEqualTo(202);
    }
  }
}
