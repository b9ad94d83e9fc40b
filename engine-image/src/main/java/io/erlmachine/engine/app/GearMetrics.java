package io.erlmachine.engine.app;

import io.erlmachine.engine.machine.GearboxRuntime;
import io.erlmachine.engine.machine.MachineRuntime;
import io.erlmachine.engine.runtime.GearCell;
import io.erlmachine.engine.runtime.GearId;
import io.erlmachine.engine.runtime.LatencyRecorder;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.Timer;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Prometheus metrics per gear (tags machine, namespace, gearbox and gear): messages processed
 * and failed, restarts, mailbox depth, a processing-latency histogram; per machine: dead
 * letters and readiness. Meters follow the gears through reloads and leave with their machine.
 */
@ApplicationScoped
public class GearMetrics {
  private final MeterRegistry registry;
  private final Map<String, MachineMeters> machines = new HashMap<>();

  /** The meters of one machine: its own, and its gears' by gear. */
  private record MachineMeters(List<Meter> own, Map<GearId, List<Meter>> gears) {
  }

  GearMetrics(MeterRegistry registry) {
    this.registry = registry;
  }

  public LatencyRecorder latency(String machine, GearId id) {
    Timer timer = Timer.builder("erlmachine.gear.processing")
        .description("Time a gear takes to handle one message")
        .tags(tags(machine, id))
        .publishPercentileHistogram()
        .register(registry);
    return nanos -> timer.record(nanos, TimeUnit.NANOSECONDS);
  }

  public synchronized void sync(String machine, MachineRuntime runtime) {
    MachineMeters meters = machines.computeIfAbsent(machine, key -> new MachineMeters(List.of(
        FunctionCounter.builder("erlmachine.dead.letters", runtime.deadLetters(), d -> d.total())
            .description("Messages that could not be handled and were dead-lettered").tags(machineTags(key)).register(registry),
        Gauge.builder("erlmachine.machine.ready", runtime, m -> m.ready() ? 1 : 0)
            .description("1 when the machine is ready").tags(machineTags(key)).register(registry),
        Gauge.builder("erlmachine.machine.retained.heap", runtime.retainedHeap(), l -> l.retainedBytes()).baseUnit("bytes")
            .description("Heap the machine's JavaScript contexts retained when last measured").tags(machineTags(key)).register(registry),
        Gauge.builder("erlmachine.machine.retained.heap.limit", runtime.retainedHeap(), l -> l.limitBytes()).baseUnit("bytes")
            .description("Heap the machine's JavaScript may retain (0: not limited)").tags(machineTags(key)).register(registry),
        FunctionCounter.builder("erlmachine.machine.retained.heap.exceeded", runtime.retainedHeap(), l -> l.exceeded())
            .description("Times a gearbox of the machine retained more than the limit and was reset").tags(machineTags(key))
            .register(registry)), new HashMap<>()));
    Map<GearId, GearCell> current = new HashMap<>();
    for (GearboxRuntime gearbox : runtime.gearboxes().values()) {
      gearbox.cells().values().forEach(cell -> current.put(cell.id(), cell));
    }
    meters.gears().entrySet().removeIf(entry -> {
      if (current.get(entry.getKey()) != null) {
        return false;
      }
      removeGear(machine, entry.getKey(), entry.getValue());
      return true;
    });
    current.forEach((id, cell) -> meters.gears().computeIfAbsent(id, gear -> register(machine, cell)));
  }

  /** Removes every meter of a machine that left the host. */
  public synchronized void remove(String machine) {
    MachineMeters meters = machines.remove(machine);
    if (meters != null) {
      meters.own().forEach(registry::remove);
      meters.gears().forEach((id, gearMeters) -> removeGear(machine, id, gearMeters));
    }
  }

  private void removeGear(String machine, GearId id, List<Meter> meters) {
    meters.forEach(registry::remove);
    registry.find("erlmachine.gear.processing").tags(tags(machine, id)).meters().forEach(registry::remove);
  }

  private List<Meter> register(String machine, GearCell cell) {
    Tags tags = tags(machine, cell.id());
    List<Meter> meters = new ArrayList<>();
    meters.add(FunctionCounter.builder("erlmachine.gear.messages.processed", cell, c -> c.counters().processed())
        .description("Messages the gear handled").tags(tags).register(registry));
    meters.add(FunctionCounter.builder("erlmachine.gear.messages.failed", cell, c -> c.counters().failed())
        .description("Messages on which the gear failed (each was dead-lettered)").tags(tags).register(registry));
    meters.add(FunctionCounter.builder("erlmachine.gear.restarts", cell, c -> c.counters().restarts())
        .description("Times the gear was restarted after a failure").tags(tags).register(registry));
    meters.add(Gauge.builder("erlmachine.gear.mailbox.depth", cell, c -> c.counters().mailboxDepth())
        .description("Messages waiting in the gear's mailbox").tags(tags).register(registry));
    meters.add(Gauge.builder("erlmachine.gear.running", cell, c -> c.status() == GearCell.Status.RUNNING ? 1 : 0)
        .description("1 while the gear runs, 0 once stopped by its restart policy").tags(tags).register(registry));
    return meters;
  }

  /** namespace/name as tags. */
  private static Tags machineTags(String machine) {
    int slash = machine.indexOf('/');
    return Tags.of("namespace", machine.substring(0, slash), "machine", machine.substring(slash + 1));
  }

  private static Tags tags(String machine, GearId id) {
    return machineTags(machine).and("gearbox", id.gearbox(), "gear", id.gear());
  }
}
