package io.erlmachine.engine.host.cluster;

import io.erlmachine.api.host.HostContract;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import java.io.IOException;
import java.util.Objects;
import org.jboss.logging.Logger;

/**
 * The host's machine configs from the API: an informer on the ConfigMaps of its namespace labelled with the host's
 * name. Each ConfigMap becomes the file {@code <name>.yaml} in the config directory (removed with the ConfigMap), and
 * every change asks the host to reload at once.
 */
final class ConfigFeed implements ResourceEventHandler<ConfigMap>, AutoCloseable {
  private static final Logger LOG = Logger.getLogger(ConfigFeed.class);

  private final ClusterConnection connection;
  private final ConfigDirectory directory;
  private final MachineGenerations generations;
  private final Runnable changed;
  private final ListenAddress listenAddress;
  private SharedIndexInformer<ConfigMap> informer;

  ConfigFeed(ClusterConnection connection, ConfigDirectory directory, MachineGenerations generations, ListenAddress listenAddress,
      Runnable changed) {
    this.connection = connection;
    this.listenAddress = listenAddress;
    this.directory = directory;
    this.generations = generations;
    this.changed = changed;
  }

  void start() {
    informer = connection.client().configMaps().inNamespace(connection.namespace())
        .withLabel(HostContract.HOST_LABEL, connection.hostName()).runnableInformer(0);
    informer.addEventHandler(this);
    informer.exceptionHandler((started, error) -> {
      LOG.warnf("watching the config ConfigMaps of host %s failed, retrying: %s", connection.hostName(), error.getMessage());
      return true;
    });
    informer.start().whenComplete((ignored, error) -> {
      if (error == null) {
        LOG.infof("watching ConfigMaps labelled %s=%s in namespace %s: %d configs", HostContract.HOST_LABEL, connection.hostName(),
            connection.namespace(), informer.getStore().list().size());
      }
    });
  }

  @Override
  public void onAdd(ConfigMap configMap) {
    write(configMap);
  }

  @Override
  public void onUpdate(ConfigMap before, ConfigMap after) {
    if (!Objects.equals(before.getMetadata().getResourceVersion(), after.getMetadata().getResourceVersion())) {
      write(after);
    }
  }

  @Override
  public void onDelete(ConfigMap configMap, boolean finalStateUnknown) {
    String file = fileOf(configMap);
    try {
      directory.remove(file);
      generations.removed(file);
      LOG.infof("config %s removed (ConfigMap deleted or no longer on this host)", file);
    } catch (IOException e) {
      LOG.errorf("cannot remove config %s: %s", file, e.getMessage());
    }
    changed.run();
  }

  private void write(ConfigMap configMap) {
    String file = fileOf(configMap);
    String text = configMap.getData() == null ? null : configMap.getData().get(HostContract.CONFIG_KEY);
    try {
      generations.written(file, ConfigMapFacts.of(configMap));
      directory.write(file, text == null ? "# ConfigMap " + configMap.getMetadata().getName() + " has no key "
          + HostContract.CONFIG_KEY + "\n" : listenAddress.apply(text));
    } catch (IOException e) {
      LOG.errorf("cannot write config %s: %s", file, e.getMessage());
    }
    changed.run();
  }

  private static String fileOf(ConfigMap configMap) {
    return configMap.getMetadata().getName() + ".yaml";
  }

  @Override
  public void close() {
    if (informer != null) {
      informer.close();
    }
  }
}
