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
    OperatorSettings.LeaderElectionTimes times = check(settings.leaderElection());
    return new LeaderElectionConfiguration(LEASE_NAME, settings.operatorNamespace(),
        times.leaseDuration(), times.renewDeadline(), times.retryPeriod(), null, callbacks, false);
  }

  /** Refuses timings under which a leader could lose its Lease while a standby still waits, or never renew in time. */
  static OperatorSettings.LeaderElectionTimes check(OperatorSettings.LeaderElectionTimes times) {
    if (times.renewDeadline().compareTo(times.leaseDuration()) >= 0) {
      throw new IllegalArgumentException("erlmachine.leader-election.renew-deadline (" + times.renewDeadline()
          + ") must be shorter than erlmachine.leader-election.lease-duration (" + times.leaseDuration() + ")");
    }
    if (times.retryPeriod().multipliedBy(2).compareTo(times.renewDeadline()) > 0) {
      throw new IllegalArgumentException("erlmachine.leader-election.retry-period (" + times.retryPeriod()
          + ") must be at most half of erlmachine.leader-election.renew-deadline (" + times.renewDeadline() + ")");
    }
    return times;
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
