package io.erlmachine.operator.config;

import io.fabric8.kubernetes.client.extended.leaderelection.LeaderCallbacks;
import io.javaoperatorsdk.operator.api.config.LeaderElectionConfiguration;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Produces;
import org.jboss.logging.Logger;

/**
 * Only one operator replica reconciles at a time: the holder of this Lease. A replica that
 * loses the Lease while running stops at once (Kubernetes restarts it as a standby), so two
 * replicas never reconcile together. JOSDK's own exit-on-loss calls System.exit from inside
 * the shutdown sequence and deadlocks a normal SIGTERM, so the exit is done here instead,
 * and only when the process is not already shutting down.
 */
public class LeaderElection {
  public static final String LEASE_NAME = "erlmachine-operator-leader";
  private static final Logger LOG = Logger.getLogger(LeaderElection.class);

  @Produces
  @ApplicationScoped
  LeaderElectionConfiguration leaderElection(OperatorSettings settings) {
    LeaderCallbacks callbacks = new LeaderCallbacks(() -> { }, LeaderElection::haltUnlessShuttingDown, leader -> { });
    return new LeaderElectionConfiguration(LEASE_NAME, settings.operatorNamespace(),
        LeaderElectionConfiguration.LEASE_DURATION_DEFAULT_VALUE, LeaderElectionConfiguration.RENEW_DEADLINE_DEFAULT_VALUE,
        LeaderElectionConfiguration.RETRY_PERIOD_DEFAULT_VALUE, null, callbacks, false);
  }

  private static void haltUnlessShuttingDown() {
    if (shuttingDown()) {
      return;
    }
    LOG.error("lost the leader Lease while running; stopping so that only the new leader reconciles");
    Runtime.getRuntime().halt(1);
  }

  private static boolean shuttingDown() {
    Thread probe = new Thread(() -> { });
    try {
      Runtime.getRuntime().addShutdownHook(probe);
      Runtime.getRuntime().removeShutdownHook(probe);
      return false;
    } catch (IllegalStateException shutdownInProgress) {
      return true;
    }
  }

}
