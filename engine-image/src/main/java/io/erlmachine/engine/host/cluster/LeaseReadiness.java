package io.erlmachine.engine.host.cluster;

import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;

/** A cluster host is ready only while it holds its Lease (and so may serve); other engines always pass this check. */
@Readiness
@ApplicationScoped
public class LeaseReadiness implements HealthCheck {
  private final ClusterHost clusterHost;

  LeaseReadiness(ClusterHost clusterHost) {
    this.clusterHost = clusterHost;
  }

  @Override
  public HealthCheckResponse call() {
    return HealthCheckResponse.named("lease").status(clusterHost.holdsLease()).build();
  }
}
