package io.erlmachine.engine.app;

import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;

/** Ready when the config is loaded, no gearbox is degraded, and gating self-tests have passed. */
@Readiness
@ApplicationScoped
public class MachineReadiness implements HealthCheck {
  private final Engine engine;

  MachineReadiness(Engine engine) {
    this.engine = engine;
  }

  @Override
  public HealthCheckResponse call() {
    boolean ready = engine.machine() != null && engine.machine().ready();
    return HealthCheckResponse.named("machine").status(ready).build();
  }
}
