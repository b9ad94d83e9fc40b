package io.erlmachine.engine.host.cluster;

import io.erlmachine.api.config.MachineConfig;
import io.erlmachine.api.host.MachineReports;
import io.erlmachine.engine.host.EngineHost;
import io.erlmachine.engine.host.HostedMachine;
import io.erlmachine.engine.host.Reload;
import io.erlmachine.engine.machine.GearboxRuntime;
import java.util.Map;
import java.util.TreeMap;

/**
 * The report of every machine on the host, by the Machine's name. A running machine is ready exactly when its own
 * readiness probe says so (every gearbox running, gating self-tests passed); a config the host could not run is
 * reported not ready with reason ConfigRejected and its problems.
 */
final class MachineReporter {
  static final String RUNNING = "Running";
  static final String CONFIG_REJECTED = "ConfigRejected";
  static final String GEARBOX_DEGRADED = "GearboxDegraded";
  static final String SELF_TESTS_PENDING = "SelfTestsPending";
  static final String SELF_TESTS_FAILED = "SelfTestsFailed";

  private final EngineHost host;
  private final MachineGenerations generations;

  MachineReporter(EngineHost host, MachineGenerations generations) {
    this.host = host;
    this.generations = generations;
  }

  String json() {
    return MachineReports.toJson(reports());
  }

  Map<String, MachineReports.Report> reports() {
    EngineHost.HostState state = host.state();
    Map<String, MachineReports.Report> reports = new TreeMap<>();
    for (HostedMachine machine : state.machines()) {
      MachineConfig config = machine.runtime().config();
      if (config != null) {
        reports.put(config.machine().name(), running(machine, config.machine()));
      }
    }
    for (EngineHost.Rejected rejected : state.rejected()) {
      ConfigMapFacts facts = generations.facts(rejected.file());
      String name = rejected.machine() != null ? rejected.machine().substring(rejected.machine().indexOf('/') + 1)
          : facts != null ? facts.machine() : null;
      if (name != null && !reports.containsKey(name)) {
        reports.put(name, new MachineReports.Report(facts == null ? 0 : facts.serial(), facts == null ? 0 : facts.generation(),
            false, CONFIG_REJECTED, String.join("; ", rejected.problems())));
      }
    }
    return reports;
  }

  private MachineReports.Report running(HostedMachine machine, MachineConfig.Identity identity) {
    boolean ready = machine.runtime().ready();
    long generation = generation(machine);
    Reload last = machine.lastReload();
    if (last != null && !last.applied()) {
      return new MachineReports.Report(identity.serial(), generation, ready, CONFIG_REJECTED,
          "the new config was rejected and the previous one still runs: " + String.join("; ", last.problems()));
    }
    if (ready) {
      return new MachineReports.Report(identity.serial(), generation, true, RUNNING, "gearboxes run");
    }
    for (Map.Entry<String, GearboxRuntime> gearbox : machine.runtime().gearboxes().entrySet()) {
      GearboxRuntime runtime = gearbox.getValue();
      if (runtime.phase() == GearboxRuntime.Phase.DEGRADED) {
        return new MachineReports.Report(identity.serial(), generation, false, GEARBOX_DEGRADED,
            "gearbox " + gearbox.getKey() + " is degraded: a gear stopped after too many restarts");
      }
      if (!runtime.ready()) {
        boolean pending = runtime.selfTests() == null;
        return new MachineReports.Report(identity.serial(), generation, false, pending ? SELF_TESTS_PENDING : SELF_TESTS_FAILED,
            "gearbox " + gearbox.getKey() + (pending ? ": its self-tests have not finished yet" : ": its self-tests failed"));
      }
    }
    return new MachineReports.Report(identity.serial(), generation, false, "NotReady", "the machine is not ready");
  }

  /** The generation of the config the machine runs; right after its start, that of its file. */
  private long generation(HostedMachine machine) {
    long running = generations.running(machine.key());
    if (running != 0 || machine.source() == null) {
      return running;
    }
    ConfigMapFacts facts = generations.facts(machine.source());
    return facts == null ? 0 : facts.generation();
  }
}
