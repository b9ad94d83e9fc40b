package io.erlmachine.operator.config;

import io.javaoperatorsdk.operator.api.config.LeaderElectionConfiguration;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Produces;

/** Only one operator replica reconciles at a time: the holder of this Lease. */
public class LeaderElection {
  public static final String LEASE_NAME = "erlmachine-operator-leader";

  @Produces
  @ApplicationScoped
  LeaderElectionConfiguration leaderElection(OperatorSettings settings) {
    return new LeaderElectionConfiguration(LEASE_NAME, settings.operatorNamespace());
  }
}
