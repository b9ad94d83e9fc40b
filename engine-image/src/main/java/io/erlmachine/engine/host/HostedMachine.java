package io.erlmachine.engine.host;

import io.erlmachine.api.config.MachineConfig;
import io.erlmachine.engine.machine.MachineRuntime;
import java.nio.file.Path;

/** One machine on an engine host: where its config comes from, where it answers, how its last reload went. */
public final class HostedMachine {
  private final String key;
  private final MachineRuntime runtime;
  private volatile Path source;
  private volatile MachineConfig.Listener listener;
  private volatile Reload lastReload;

  HostedMachine(String key, MachineRuntime runtime, Path source) {
    this.key = key;
    this.runtime = runtime;
    this.source = source;
  }

  /** namespace/name. */
  public String key() {
    return key;
  }

  public MachineRuntime runtime() {
    return runtime;
  }

  public Path source() {
    return source;
  }

  void source(Path file) {
    source = file;
  }

  /** Its own listener, or null when it answers on the host's port. */
  public MachineConfig.Listener listener() {
    return listener;
  }

  void listener(MachineConfig.Listener value) {
    listener = value;
  }

  public Reload lastReload() {
    return lastReload;
  }

  void lastReload(Reload reload) {
    lastReload = reload;
  }
}
