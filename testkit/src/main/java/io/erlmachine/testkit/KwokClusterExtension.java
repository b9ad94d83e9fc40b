package io.erlmachine.testkit;

import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The full local control plane from {@code hack/cluster} (etcd, kube-apiserver,
 * controller-manager, scheduler, kwok nodes), brought up once per test run with the CRDs
 * installed. Each test gets its own namespace ({@link TestNamespace} parameter); when a test
 * fails, the namespace's objects and events are saved under {@code target/cluster-diagnostics}.
 * The cluster is stopped at the end of the run unless it was already up before, or
 * {@code ERLMACHINE_KEEP_CLUSTER=true}.
 */
public final class KwokClusterExtension implements BeforeEachCallback, AfterEachCallback, ParameterResolver {
  private static final Logger LOG = LoggerFactory.getLogger(KwokClusterExtension.class);
  private static final ExtensionContext.Namespace STORE = ExtensionContext.Namespace.create(KwokClusterExtension.class);
  public static final String TEST_NAMESPACE_LABEL = "erlmachine.io/test";

  @Override
  public void beforeEach(ExtensionContext context) {
    Cluster cluster = cluster(context);
    String name = namespaceName(context);
    cluster.client().namespaces().resource(new NamespaceBuilder().withNewMetadata().withName(name)
        .addToLabels(TEST_NAMESPACE_LABEL, "true").endMetadata().build()).create();
    context.getStore(STORE).put(TestNamespace.class, new TestNamespace(name, cluster.client(), new Kubectl(cluster.kubeconfig())));
  }

  @Override
  public void afterEach(ExtensionContext context) {
    TestNamespace namespace = context.getStore(STORE).get(TestNamespace.class, TestNamespace.class);
    if (namespace == null) {
      return;
    }
    if (context.getExecutionException().isPresent()) {
      saveDiagnostics(namespace);
    }
    namespace.client().namespaces().withName(namespace.name()).delete();
  }

  @Override
  public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
    Class<?> type = parameter.getParameter().getType();
    return type == TestNamespace.class || type == ClusterAccess.class;
  }

  @Override
  public Object resolveParameter(ParameterContext parameter, ExtensionContext context) {
    if (parameter.getParameter().getType() == ClusterAccess.class) {
      Cluster cluster = cluster(context);
      return new ClusterAccess(cluster.kubeconfig(), cluster.client(), new Kubectl(cluster.kubeconfig()));
    }
    TestNamespace namespace = context.getStore(STORE).get(TestNamespace.class, TestNamespace.class);
    if (namespace == null) {
      throw new IllegalStateException("a TestNamespace exists only inside a test method");
    }
    return namespace;
  }

  /** Cluster-wide access for tests that manage their own namespaces or start the operator. */
  public record ClusterAccess(Path kubeconfig, KubernetesClient client, Kubectl kubectl) {
  }

  private static Cluster cluster(ExtensionContext context) {
    return context.getRoot().getStore(STORE).getOrComputeIfAbsent(Cluster.class, key -> Cluster.up(), Cluster.class);
  }

  private static String namespaceName(ExtensionContext context) {
    String base = (context.getRequiredTestClass().getSimpleName() + "-" + context.getRequiredTestMethod().getName())
        .replaceAll("([a-z])([A-Z])", "$1-$2").toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9-]", "-");
    String suffix = Integer.toString(ThreadLocalRandom.current().nextInt(36 * 36 * 36, 36 * 36 * 36 * 36), 36);
    return (base.length() > 50 ? base.substring(0, 50) : base).replaceAll("-+$", "") + "-" + suffix;
  }

  private static void saveDiagnostics(TestNamespace namespace) {
    Path dir = Path.of("target", "cluster-diagnostics", namespace.name());
    try {
      Files.createDirectories(dir);
      Files.writeString(dir.resolve("objects.yaml"),
          namespace.kubectl().run("get", "all,configmaps,networkpolicies,serviceaccounts,erlmachine", "-n", namespace.name(), "-o", "yaml").stdout());
      Files.writeString(dir.resolve("events.txt"),
          namespace.kubectl().run("get", "events", "-n", namespace.name(), "--sort-by=.lastTimestamp").stdout());
      Files.writeString(dir.resolve("describe.txt"),
          namespace.kubectl().run("describe", "all,erlmachine", "-n", namespace.name()).stdout());
      LOG.warn("test failed; diagnostics saved in {}", dir.toAbsolutePath());
    } catch (IOException | RuntimeException e) {
      LOG.warn("could not save diagnostics for {}", namespace.name(), e);
    }
  }

  private record Cluster(Path kubeconfig, KubernetesClient client, boolean startedHere)
      implements ExtensionContext.Store.CloseableResource {

    static Cluster up() {
      Path script = Repository.path("hack/cluster");
      boolean alreadyUp = CommandRunner.run(List.of(script.toString(), "status"), Map.of(), Duration.ofSeconds(30)).exitCode() == 0;
      LOG.info(alreadyUp ? "using the running test cluster" : "starting the test cluster (hack/cluster up)");
      CommandRunner.Result up = CommandRunner.run(List.of(script.toString(), "up"), Map.of(), Duration.ofMinutes(75)).assertSuccess();
      List<String> lines = up.stdout().strip().lines().toList();
      Path kubeconfig = Path.of(lines.get(lines.size() - 1));
      try {
        KubernetesClient client = new KubernetesClientBuilder().withConfig(Config.fromKubeconfig(Files.readString(kubeconfig))).build();
        Crds.install(client);
        return new Cluster(kubeconfig, client, !alreadyUp);
      } catch (IOException e) {
        throw new IllegalStateException("cannot read kubeconfig " + kubeconfig, e);
      }
    }

    @Override
    public void close() {
      client.close();
      if (startedHere && !"true".equals(System.getenv("ERLMACHINE_KEEP_CLUSTER"))) {
        CommandRunner.run(List.of(Repository.path("hack/cluster").toString(), "down"), Map.of(), Duration.ofMinutes(2));
      }
    }
  }
}
