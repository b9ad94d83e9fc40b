package io.erlmachine.bench;

import io.erlmachine.api.v1alpha1.Machine;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * Follows the Machines of some namespaces through a watch (listing 10,000 Machines twice a second would load the API
 * server more than the operator does) and notes when all of them were placed (status.host set) and Ready.
 */
final class MachineProgress implements AutoCloseable {
  /** How many Machines were placed and Ready some seconds after the start, and the computer's 1-minute load average then. */
  record Sample(double seconds, long placed, long ready, double load) {
  }

  private final SharedIndexInformer<Machine> machines;
  private final Set<String> namespaces;
  private final List<Sample> samples = new ArrayList<>();

  MachineProgress(KubernetesClient client, Set<String> namespaces) {
    this.machines = client.resources(Machine.class).inAnyNamespace().inform();
    this.namespaces = namespaces;
  }

  /** Waits until {@code count} Machines are Ready; returns the times until all were placed and until all were Ready. */
  Duration[] await(Instant start, int count, Duration timeout) throws InterruptedException {
    Instant deadline = start.plus(timeout);
    Duration placedAfter = null;
    Instant nextSample = start;
    while (Instant.now().isBefore(deadline)) {
      Instant now = Instant.now();
      List<Machine> ours = machines.getStore().list().stream().filter(m -> namespaces.contains(m.getMetadata().getNamespace())).toList();
      long placed = ours.stream().filter(m -> m.getStatus() != null && m.getStatus().host() != null).count();
      long ready = ours.stream().filter(MachinesAtScale::ready).count();
      if (placedAfter == null && placed >= count) {
        placedAfter = Duration.between(start, now);
      }
      if (!now.isBefore(nextSample) || ready >= count) {
        double load = loadAverage();
        samples.add(new Sample(Duration.between(start, now).toMillis() / 1000.0, placed, ready, load));
        MachinesAtScale.log("operator: %.0f s: %d placed, %d Ready (load %.1f)", Duration.between(start, now).toMillis() / 1000.0, placed, ready, load);
        nextSample = now.plusSeconds(10);
      }
      if (ready >= count) {
        return new Duration[] {placedAfter == null ? Duration.between(start, now) : placedAfter, Duration.between(start, now)};
      }
      Thread.sleep(250);
    }
    throw new IllegalStateException("Machines not all Ready after " + timeout + "; last: " + samples.getLast());
  }

  /** The 1-minute load average of the computer (etcd, the API server, the operator and this bench share it). */
  static double loadAverage() {
    try {
      return Double.parseDouble(Files.readString(Path.of("/proc/loadavg")).split(" ")[0]);
    } catch (IOException | RuntimeException e) {
      return -1;
    }
  }

  List<Sample> samples() {
    return samples;
  }

  @Override
  public void close() {
    machines.close();
  }
}
