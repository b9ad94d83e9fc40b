package io.erlmachine.testkit;

import io.fabric8.kubeapitest.KubeAPIServer;
import io.fabric8.kubeapitest.KubeAPIServerConfigBuilder;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A real etcd + kube-apiserver (fabric8 kube-api-test) with the Erlmachine CRDs installed,
 * started once per test JVM. Uses the binaries {@code hack/cluster build} lays out when they
 * exist (offline mode); otherwise kube-api-test downloads its own.
 * Test methods and constructors can take a {@link KubernetesClient} or a {@link Kubectl}.
 */
public final class ApiServerExtension implements BeforeAllCallback, ParameterResolver {
  private static final Logger LOG = LoggerFactory.getLogger(ApiServerExtension.class);

  @Override
  public void beforeAll(ExtensionContext context) {
    server(context);
  }

  @Override
  public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
    Class<?> type = parameter.getParameter().getType();
    return type == KubernetesClient.class || type == Kubectl.class;
  }

  @Override
  public Object resolveParameter(ParameterContext parameter, ExtensionContext context) {
    RunningServer server = server(context);
    return parameter.getParameter().getType() == Kubectl.class ? new Kubectl(server.kubeconfig()) : server.client();
  }

  private static RunningServer server(ExtensionContext context) {
    return context.getRoot().getStore(ExtensionContext.Namespace.create(ApiServerExtension.class))
        .getOrComputeIfAbsent(RunningServer.class, key -> RunningServer.start(), RunningServer.class);
  }

  private record RunningServer(KubeAPIServer server, KubernetesClient client, Path kubeconfig)
      implements ExtensionContext.Store.CloseableResource {

    static RunningServer start() {
      ToolCache tools = ToolCache.read();
      String version = tools.kubeVersion();
      Path testDir = tools.kubeApiTestDir();
      Path apiServer = testDir.resolve("k8s/" + version + "-linux-amd64/kube-apiserver");
      if (!Files.isExecutable(apiServer) && goIsInstalled()) {
        LOG.info("building the control-plane binaries with hack/cluster build (the first time takes a while)");
        CommandRunner.run(List.of(Repository.path("hack/cluster").toString(), "build"), Map.of(), Duration.ofMinutes(60)).assertSuccess();
      }
      boolean offline = Files.isExecutable(apiServer);
      LOG.info("starting kube-apiserver {} ({})", version, offline ? "offline, binaries from " + testDir : "downloading binaries");
      KubeAPIServerConfigBuilder config = KubeAPIServerConfigBuilder.anAPIServerConfig()
          .withApiServerVersion(version)
          .withUpdateKubeConfig(false)
          .withStartupTimeout(120_000);
      if (offline) {
        config.withOfflineMode(true).withTestDir(testDir.toString());
      }
      KubeAPIServer server = new KubeAPIServer(config.build());
      server.start();
      try {
        Path kubeconfig = Files.createTempFile("kube-api-test", ".kubeconfig");
        Files.writeString(kubeconfig, server.getKubeConfigYaml());
        KubernetesClient client = new KubernetesClientBuilder().withConfig(Config.fromKubeconfig(server.getKubeConfigYaml())).build();
        Crds.install(client);
        return new RunningServer(server, client, kubeconfig);
      } catch (IOException e) {
        server.stop();
        throw new UncheckedIOException(e);
      }
    }

    private static boolean goIsInstalled() {
      try {
        return CommandRunner.run(List.of("go", "version"), Map.of(), Duration.ofSeconds(30)).exitCode() == 0;
      } catch (IllegalStateException notFound) {
        return false;
      }
    }

    @Override
    public void close() throws IOException {
      client.close();
      server.stop();
      Files.deleteIfExists(kubeconfig);
    }
  }
}
