package io.erlmachine.engine.app;

import io.erlmachine.engine.host.EngineHost;
import io.erlmachine.engine.host.HostedMachine;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;

/**
 * Readiness at the engine's own port. An engine that runs one machine (no listener of its own)
 * is ready when that machine's config is loaded, no gearbox is degraded, and gating self-tests
 * have passed. A host whose machines all have listeners is ready once it has read its configs;
 * each machine's readiness is answered at its own listener (see MachineProbes), so a machine
 * that is not ready leaves only its own endpoints. A cluster host is ready only while it may
 * serve, that is while it holds its Lease.
 */
@Readiness
@ApplicationScoped
public class MachineReadiness implements HealthCheck {
  private final EngineHost host;

  MachineReadiness(EngineHost host) {
    this.host = host;
  }

  @Override
  public HealthCheckResponse call() {
    HostedMachine machine = host.machineAtHostPort();
    if (machine != null) {
      return HealthCheckResponse.named("machine " + machine.key()).status(machine.runtime().ready()).build();
    }
    return HealthCheckResponse.named("host").status(host.runsDirectory() && host.serving()).build();
  }
}
