package io.erlmachine.engine.http;

import io.erlmachine.api.config.MachineConfig;
import io.erlmachine.engine.host.EngineHost;
import io.erlmachine.engine.host.HostedMachine;
import io.erlmachine.engine.machine.MachineRuntime;
import io.vertx.core.http.HttpServerRequest;
import jakarta.enterprise.context.RequestScoped;
import java.util.List;
import java.util.Map;

/**
 * The machine the current request is for: the one whose listener it arrived at, or, at the
 * engine's own port, the machine that has no listener of its own (an engine that runs one
 * machine). Until a machine is there, requests get 503 with the reason; once the engine shuts down, a machine it has
 * stopped while its listener still answers is 503 ShuttingDown, as its messages were, so senders keep waiting for it.
 */
@RequestScoped
public class Serving {
  private final EngineHost host;
  private final HttpServerRequest request;

  Serving(EngineHost host, HttpServerRequest request) {
    this.host = host;
    this.request = request;
  }

  public HostedMachine hosted() {
    HostedMachine machine = orNull();
    if (machine != null) {
      return machine;
    }
    if (!host.intake().open()) {
      throw ApiException.shuttingDown();
    }
    EngineHost.HostState state = host.state();
    List<String> problems = state.rejected().stream().flatMap(rejected -> rejected.problems().stream()).toList();
    if (!problems.isEmpty() && state.machines().isEmpty()) {
      throw new ApiException(503, "ConfigRejected", "the machine config was rejected, so no gears run; fix it and the engine"
          + " reloads it", problems, Map.of());
    }
    if (host.runsDirectory() && host.atHostPort(request)) {
      throw new ApiException(404, "NoMachineHere", "this is the engine host's own port; each machine answers at its own"
          + " listener (see GET /api/v1/host)");
    }
    throw new ApiException(503, "NotLoaded", "no machine config is loaded yet; see the engine log or POST /api/v1/reload");
  }

  /** The machine this request is for, or null when there is none (yet). */
  public HostedMachine orNull() {
    HostedMachine machine = host.serving(request);
    return machine != null && machine.runtime().config() != null ? machine : null;
  }

  public MachineRuntime machine() {
    return hosted().runtime();
  }

  public MachineConfig config() {
    return hosted().runtime().config();
  }

  /** Whether the engine takes new messages. */
  public io.erlmachine.engine.host.MessageIntake intake() {
    return host.intake();
  }

  public boolean atHostPort() {
    return host.atHostPort(request);
  }
}
