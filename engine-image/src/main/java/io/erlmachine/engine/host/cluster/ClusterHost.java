package io.erlmachine.engine.host.cluster;

import io.erlmachine.engine.app.EngineSettings;
import io.erlmachine.engine.config.MachineConfigFile;
import io.erlmachine.engine.host.EngineHost;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.interceptor.Interceptor;
import java.nio.file.Path;
import org.jboss.logging.Logger;

/**
 * Cluster host mode (erlmachine.engine.host.cluster.enabled): the engine host as a pod of the operator's host
 * StatefulSet. Its machines come from the ConfigMaps labelled with its name, run only while it holds the Lease of its
 * name, and their reports go onto that Lease. Without the setting nothing of this starts, not even a client.
 */
@ApplicationScoped
public class ClusterHost {
  private static final Logger LOG = Logger.getLogger(ClusterHost.class);

  private final EngineHost host;
  private final EngineSettings settings;
  private ClusterConnection connection;
  private ConfigFeed feed;
  private HostReloads reloads;
  private LeaseKeeper keeper;

  ClusterHost(EngineHost host, EngineSettings settings) {
    this.host = host;
    this.settings = settings;
  }

  void start(@Observes @Priority(Interceptor.Priority.APPLICATION + 600) StartupEvent event) {
    EngineSettings.Cluster cluster = settings.host().cluster();
    if (!cluster.enabled()) {
      return;
    }
    String configs = settings.configFile().orElseThrow(() -> new IllegalStateException("cluster host mode needs a config directory:"
        + " set " + MachineConfigFile.ENVIRONMENT_VARIABLE + " to an empty directory the host may write (an emptyDir in a pod)"));
    if (cluster.renewDeadline().compareTo(cluster.leaseDuration()) >= 0) {
      throw new IllegalStateException("erlmachine.engine.host.cluster.renew-deadline (" + cluster.renewDeadline()
          + ") must be shorter than lease-duration (" + cluster.leaseDuration() + "): the host must stop its machines before"
          + " another host may take its Lease");
    }
    ConfigDirectory directory = ConfigDirectory.emptied(Path.of(configs));
    connection = ClusterConnection.open(cluster);
    MachineGenerations generations = new MachineGenerations();
    reloads = new HostReloads(host, generations);
    HostLease lease = new HostLease(connection, cluster.leaseDuration());
    keeper = new LeaseKeeper(lease, cluster, new LeasedMachines(host, reloads, new MachineReporter(host, generations)));
    feed = new ConfigFeed(connection, directory, generations, new ListenAddress(cluster.listenAddress()), reloads::request);
    LOG.infof("cluster host %s in namespace %s (holder identity %s): configs from ConfigMaps into %s", connection.hostName(),
        connection.namespace(), lease.identity(), configs);
    feed.start();
    keeper.start();
  }

  /** Before the engine host closes its machines: stop the feed, stop the machines, give the Lease back. */
  void stop(@Observes @Priority(Interceptor.Priority.APPLICATION) ShutdownEvent event) {
    if (connection == null) {
      return;
    }
    feed.close();
    keeper.close();
    reloads.close();
    connection.close();
  }

  /** The host's machines as the Lease governs them. */
  private record LeasedMachines(EngineHost host, HostReloads reloads, MachineReporter reporter) implements LeaseKeeper.Machines {
    @Override
    public void serve() {
      host.startServing();
      reloads.request();
    }

    @Override
    public void fence(String why) {
      if (host.serving()) {
        LOG.warnf("stopping every machine: %s", why);
      }
      host.stopServing();
    }

    @Override
    public void stopAll() {
      host.stopServing();
    }

    @Override
    public String reports() {
      return reporter.json();
    }
  }
}
