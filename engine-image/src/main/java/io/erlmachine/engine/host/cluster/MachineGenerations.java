package io.erlmachine.engine.host.cluster;

import io.erlmachine.engine.host.EngineHost;
import io.erlmachine.engine.host.HostedMachine;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Which Machine generation each machine runs. The feed notes the facts of each ConfigMap when it writes its file;
 * after every reload a machine whose file was applied runs that file's generation, and one whose new config was
 * rejected keeps the generation it ran before.
 */
final class MachineGenerations {
  private final Map<String, ConfigMapFacts> byFile = new ConcurrentHashMap<>();
  private final Map<String, Long> running = new ConcurrentHashMap<>();

  void written(String file, ConfigMapFacts facts) {
    byFile.put(file, facts);
  }

  void removed(String file) {
    byFile.remove(file);
  }

  ConfigMapFacts facts(Path file) {
    return byFile.get(file.getFileName().toString());
  }

  void afterReload(EngineHost.HostState state) {
    Set<String> present = new HashSet<>();
    for (HostedMachine machine : state.machines()) {
      present.add(machine.key());
      ConfigMapFacts facts = machine.source() == null ? null : facts(machine.source());
      if (facts != null && machine.lastReload() != null && machine.lastReload().applied()) {
        running.put(machine.key(), facts.generation());
      }
    }
    running.keySet().retainAll(present);
  }

  /** The generation a machine (namespace/name) runs; 0 when not known. */
  long running(String machine) {
    return running.getOrDefault(machine, 0L);
  }
}
