package io.erlmachine.engine.host.cluster;

import io.erlmachine.engine.app.EngineSettings;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.jdkhttp.JdkHttpClientFactory;
import java.io.File;

/**
 * A cluster host's way into the Kubernetes API: the client (on the JDK's HTTP client), the namespace it works in, and
 * its own name. In a pod the client uses the ServiceAccount's credentials; outside a cluster a kubeconfig file.
 */
record ClusterConnection(KubernetesClient client, String namespace, String hostName) implements AutoCloseable {

  static ClusterConnection open(EngineSettings.Cluster settings) {
    String hostName = settings.name().orElseThrow(() -> new IllegalStateException(
        "cluster host mode needs the host's name: set POD_NAME (the downward API) or erlmachine.engine.host.cluster.name"));
    Config config = settings.kubeconfig().map(file -> Config.fromKubeconfig(new File(file))).orElseGet(() -> Config.autoConfigure(null));
    String namespace = settings.namespace().orElse(config.getNamespace());
    if (namespace == null || namespace.isBlank()) {
      throw new IllegalStateException("cluster host mode needs a namespace: set POD_NAMESPACE (the downward API) or"
          + " erlmachine.engine.host.cluster.namespace");
    }
    // A renewal that hangs must end before the renew deadline, and a failed one is retried by the lease loop itself.
    config.setRequestTimeout((int) settings.renewInterval().toMillis());
    config.setRequestRetryBackoffLimit(0);
    KubernetesClient client = new KubernetesClientBuilder().withConfig(config).withHttpClientFactory(new JdkHttpClientFactory()).build();
    return new ClusterConnection(client, namespace, hostName);
  }

  @Override
  public void close() {
    client.close();
  }
}
