package io.erlmachine.operator.it;

import io.erlmachine.api.host.HostContract;
import io.erlmachine.api.host.MachineReports;
import io.erlmachine.api.v1alpha1.ApiGroup;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.coordination.v1.Lease;
import io.fabric8.kubernetes.api.model.coordination.v1.LeaseBuilder;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

/**
 * Plays every namespace's engine hosts for the operator tests, through the API as a real host
 * does ({@link HostContract}): a host whose pod runs (kwok runs no process) reads the config
 * ConfigMaps labelled with its name and publishes a ready report for each of those machines, at
 * the generation its config carries, on a Lease of its own name that it renews every few
 * seconds. A test can have a machine reported not ready, or a host stop renewing its Lease as a
 * frozen host or one on an unreachable node does. A host whose pod is gone stops renewing, so
 * its Lease runs out as a crashed host's would.
 */
final class HostStandIn {
  static final Duration LEASE_DURATION = Duration.ofSeconds(15);
  private static final Duration RENEW = Duration.ofSeconds(5);
  private static HostStandIn running;

  private final KubernetesClient client;
  private final Map<String, MachineReports.Report> overrides = new ConcurrentHashMap<>();
  private final Map<String, String> published = new HashMap<>();
  private final Map<String, Instant> renewed = new HashMap<>();
  private final Set<String> silent = ConcurrentHashMap.newKeySet();

  private HostStandIn(KubernetesClient client) {
    this.client = client;
  }

  /** The one stand-in of this test run, started on first use with the cluster admin's kubeconfig. */
  static synchronized HostStandIn ensureRunning(Path kubeconfig) {
    if (running == null) {
      try {
        running = new HostStandIn(new KubernetesClientBuilder().withConfig(Config.fromKubeconfig(Files.readString(kubeconfig))).build());
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
      ScheduledExecutorService loop = Executors.newSingleThreadScheduledExecutor(runnable -> {
        Thread thread = new Thread(runnable, "host-stand-in");
        thread.setDaemon(true);
        return thread;
      });
      loop.scheduleWithFixedDelay(running::tick, 0, 300, TimeUnit.MILLISECONDS);
    }
    return running;
  }

  /** From now on the host reports the machine not ready, with this reason and message. */
  void reportNotReady(String namespace, String machine, String reason, String message) {
    overrides.put(namespace + "/" + machine, new MachineReports.Report(0, 0, false, reason, message));
  }

  void reportReady(String namespace, String machine) {
    overrides.remove(namespace + "/" + machine);
  }

  /** From now on the host neither renews its Lease nor reports; once this returns, no renewal of it is under way. */
  synchronized void stopRenewing(String namespace, String host) {
    silent.add(key(namespace, host));
  }

  /** The host renews its Lease again, within a tick. */
  void resumeRenewing(String namespace, String host) {
    silent.remove(key(namespace, host));
  }

  private synchronized void tick() {
    try {
      Set<String> runningHosts = client.pods().inAnyNamespace().withLabel("app.kubernetes.io/component", HostContract.COMPONENT).list().getItems()
          .stream().filter(HostStandIn::runs).map(pod -> key(pod.getMetadata().getNamespace(), pod.getMetadata().getName()))
          .filter(host -> !silent.contains(host)).collect(Collectors.toSet());
      Map<String, Map<String, MachineReports.Report>> reports = new TreeMap<>();
      runningHosts.forEach(host -> reports.put(host, new TreeMap<>()));
      for (ConfigMap config : client.configMaps().inAnyNamespace().withLabel(HostContract.HOST_LABEL).list().getItems()) {
        String host = key(config.getMetadata().getNamespace(), config.getMetadata().getLabels().get(HostContract.HOST_LABEL));
        if (reports.containsKey(host)) {
          String machine = config.getMetadata().getLabels().get(ApiGroup.MACHINE_LABEL);
          reports.get(host).put(machine, report(config, overrides.get(key(config.getMetadata().getNamespace(), machine))));
        }
      }
      reports.forEach(this::publish);
    } catch (KubernetesClientException e) {
      // The cluster is busy or a namespace is going away; the next tick tries again.
    }
  }

  private static MachineReports.Report report(ConfigMap config, MachineReports.Report override) {
    long serial = Long.parseLong(config.getMetadata().getLabels().getOrDefault(ApiGroup.SERIAL_LABEL, "0"));
    long generation = Long.parseLong(config.getMetadata().getAnnotations().getOrDefault(HostContract.GENERATION_ANNOTATION, "0"));
    return override == null ? new MachineReports.Report(serial, generation, true, "Running", "gearboxes run")
        : new MachineReports.Report(serial, generation, false, override.reason(), override.message());
  }

  private void publish(String host, Map<String, MachineReports.Report> reports) {
    String json = MachineReports.toJson(reports);
    Instant now = Instant.now();
    if (json.equals(published.get(host)) && renewed.get(host).plus(RENEW).isAfter(now)) {
      return;
    }
    String[] parts = host.split("/");
    Lease lease = new LeaseBuilder()
        .withNewMetadata().withName(parts[1]).withNamespace(parts[0])
          .addToLabels("app.kubernetes.io/component", HostContract.COMPONENT)
          .addToAnnotations(HostContract.REPORTS_ANNOTATION, json)
        .endMetadata()
        .withNewSpec().withHolderIdentity(parts[1]).withLeaseDurationSeconds((int) LEASE_DURATION.toSeconds())
          .withRenewTime(ZonedDateTime.ofInstant(now, ZoneOffset.UTC)).endSpec()
        .build();
    client.resource(lease).fieldManager("host-stand-in").forceConflicts().serverSideApply();
    published.put(host, json);
    renewed.put(host, now);
  }

  private static boolean runs(Pod pod) {
    return pod.getMetadata().getDeletionTimestamp() == null && pod.getStatus() != null && "Running".equals(pod.getStatus().getPhase());
  }

  private static String key(String namespace, String name) {
    return namespace + "/" + name;
  }
}
