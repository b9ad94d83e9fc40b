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
 * Prometheus metrics per gear (tags gearbox and gear): messages processed and failed, restarts,
 * mailbox depth, a processing-latency histogram; per machine: dead letters. Meters follow the
 * gears through reloads.
 */
@ApplicationScoped
public class GearMetrics {
  private final MeterRegistry registry;
  private final Map<GearId, List<Meter>> metersByGear = new HashMap<>();
  private boolean machineMetersRegistered;

  GearMetrics(MeterRegistry registry) {
    this.registry = registry;
  }

  LatencyRecorder latency(GearId id) {
    Timer timer = Timer.builder("erlmachine.gear.processing")
        .description("Time a gear takes to handle one message")
        .tags(tags(id))
        .publishPercentileHistogram()
        .register(registry);
    return nanos -> timer.record(nanos, TimeUnit.NANOSECONDS);
  }

  synchronized void sync(MachineRuntime machine) {
    if (!machineMetersRegistered) {
      FunctionCounter.builder("erlmachine.dead.letters", machine.deadLetters(), d -> d.total())
          .description("Messages that could not be handled and were dead-lettered").register(registry);
      Gauge.builder("erlmachine.machine.ready", machine, m -> m.ready() ? 1 : 0)
          .description("1 when the machine is ready").register(registry);
      machineMetersRegistered = true;
    }
    Map<GearId, GearCell> current = new HashMap<>();
    for (GearboxRuntime gearbox : machine.gearboxes().values()) {
      gearbox.cells().values().forEach(cell -> current.put(cell.id(), cell));
    }
    metersByGear.keySet().removeIf(id -> {
      GearCell cell = current.get(id);
      if (cell != null) {
        return false;
      }
      metersByGear.get(id).forEach(registry::remove);
      registry.find("erlmachine.gear.processing").tags(tags(id)).meters().forEach(registry::remove);
      return true;
    });
    current.forEach((id, cell) -> metersByGear.computeIfAbsent(id, gear -> register(cell)));
  }

  private List<Meter> register(GearCell cell) {
    Tags tags = tags(cell.id());
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

  private static Tags tags(GearId id) {
    return Tags.of("gearbox", id.gearbox(), "gear", id.gear());
  }
}
