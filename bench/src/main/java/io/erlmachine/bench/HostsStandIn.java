package io.erlmachine.bench;

import io.erlmachine.api.host.HostContract;
import io.erlmachine.api.host.MachineReports;
import io.erlmachine.api.v1alpha1.ApiGroup;
import io.erlmachine.operator.host.HostBlueprint;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

/**
 * Plays every engine host of the cluster on kwok, where a host pod runs no process, through the API exactly as the
 * engine's cluster host does ({@code engine-image/.../host/cluster}): a host whose pod runs takes the Lease of its name
 * (created, or taken over when free or expired, with a fresh holder identity), then every report interval (500 ms)
 * writes its machines' reports with a renewal when they changed, and renews at least every renew interval (5 s). All
 * reports that change within one interval go out in one Lease update per host; every write is an update at the
 * resource version last seen. A host's machines are the config ConfigMaps labelled with its name; each is reported
 * ready ({@code Running}) at the serial and generation its config carries, which is what a real host reports once the
 * machine's gearboxes run and its gating self-tests passed. A host whose pod is gone stops renewing, so its Lease runs
 * out as a crashed host's would.
 *
 * <p>Requests go out with the user agent {@link #USER_AGENT}, so the audit log tells them from the operator's.
 */
final class HostsStandIn implements AutoCloseable {
  static final String USER_AGENT = "erlmachine-host-stand-in";
  /** The engine's defaults: erlmachine.engine.host.cluster.report-interval, renew-interval, lease-duration. */
  static final Duration REPORT_INTERVAL = Duration.ofMillis(500);
  static final Duration RENEW_INTERVAL = Duration.ofSeconds(5);
  static final Duration LEASE_DURATION = Duration.ofSeconds(15);
  private static final String BY_HOST = "host";
  private static final int WRITERS = 16;

  private final KubernetesClient client;
  private final SharedIndexInformer<Pod> pods;
  private final SharedIndexInformer<ConfigMap> configs;
  private final Map<String, StandInLease> leases = new ConcurrentHashMap<>();
  private final ScheduledExecutorService loop = Executors.newSingleThreadScheduledExecutor(Thread.ofPlatform().daemon().name("hosts-stand-in").factory());
  private final ExecutorService writers = Executors.newFixedThreadPool(WRITERS, Thread.ofPlatform().daemon().name("hosts-stand-in-writer", 0).factory());

  private HostsStandIn(KubernetesClient client) {
    this.client = client;
    this.pods = client.pods().inAnyNamespace().withLabel(HostBlueprint.COMPONENT_LABEL, HostContract.COMPONENT).inform();
    this.configs = client.configMaps().inAnyNamespace().withLabel(HostContract.HOST_LABEL).runnableInformer(0);
    configs.addIndexers(Map.of(BY_HOST, config -> List.of(key(config.getMetadata().getNamespace(),
        config.getMetadata().getLabels().get(HostContract.HOST_LABEL)))));
    configs.run();
  }

  /** Starts playing every host with this client (closed with the stand-in), which should carry {@link #USER_AGENT}. */
  static HostsStandIn start(KubernetesClient client) {
    HostsStandIn standIn = new HostsStandIn(client);
    standIn.loop.scheduleWithFixedDelay(standIn::tick, 0, REPORT_INTERVAL.toMillis(), TimeUnit.MILLISECONDS);
    return standIn;
  }

  /** Lease writes (creations, take-overs, renewals with or without new reports) so far. */
  long leaseWrites() {
    return leases.values().stream().mapToLong(StandInLease::writes).sum();
  }

  private void tick() {
    try {
      Set<String> running = pods.getStore().list().stream().filter(HostsStandIn::runs)
          .map(pod -> key(pod.getMetadata().getNamespace(), pod.getMetadata().getName())).collect(Collectors.toSet());
      leases.keySet().retainAll(running);
      List<Future<?>> writes = new ArrayList<>();
      for (String host : running) {
        StandInLease lease = leases.computeIfAbsent(host, name -> new StandInLease(client, namespaceOf(name), nameOf(name)));
        writes.add(writers.submit(() -> lease.keep(() -> MachineReports.toJson(reports(host)), RENEW_INTERVAL, LEASE_DURATION)));
      }
      for (Future<?> write : writes) {
        write.get();
      }
    } catch (Exception e) {
      MachinesAtScale.log("host stand-in: %s (next round in %d ms)", e, REPORT_INTERVAL.toMillis());
    }
  }

  private Map<String, MachineReports.Report> reports(String host) {
    Map<String, MachineReports.Report> reports = new TreeMap<>();
    for (ConfigMap config : configs.getIndexer().byIndex(BY_HOST, host)) {
      Map<String, String> labels = config.getMetadata().getLabels();
      Map<String, String> annotations = config.getMetadata().getAnnotations() == null ? Map.of() : config.getMetadata().getAnnotations();
      long serial = Long.parseLong(labels.getOrDefault(ApiGroup.SERIAL_LABEL, "0"));
      long generation = Long.parseLong(annotations.getOrDefault(HostContract.GENERATION_ANNOTATION, "0"));
      reports.put(labels.get(ApiGroup.MACHINE_LABEL), new MachineReports.Report(serial, generation, true, "Running", "gearboxes run"));
    }
    return reports;
  }

  private static boolean runs(Pod pod) {
    return pod.getMetadata().getDeletionTimestamp() == null && pod.getStatus() != null && "Running".equals(pod.getStatus().getPhase());
  }

  private static String key(String namespace, String name) {
    return namespace + "/" + name;
  }

  private static String namespaceOf(String key) {
    return key.substring(0, key.indexOf('/'));
  }

  private static String nameOf(String key) {
    return key.substring(key.indexOf('/') + 1);
  }

  @Override
  public void close() throws InterruptedException {
    loop.shutdownNow();
    loop.awaitTermination(30, TimeUnit.SECONDS);
    writers.shutdownNow();
    pods.close();
    configs.close();
    client.close();
  }
}
