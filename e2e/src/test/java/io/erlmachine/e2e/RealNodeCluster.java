package io.erlmachine.e2e;

import io.erlmachine.testkit.CommandRunner;
import io.erlmachine.testkit.Kubectl;
import io.erlmachine.testkit.Repository;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;

/**
 * The test cluster with its real node ({@code hack/cluster up}, {@code hack/cluster node up});
 * tests that need the operator install it with {@link RealNode#installOperator()}. Brought up
 * once per run; stopped at the end unless it was up before or {@code ERLMACHINE_KEEP_CLUSTER=true}.
 */
public final class RealNodeCluster implements ParameterResolver {
  static final String OPERATOR_NAMESPACE = "erlmachine-system";
  static final String ENGINE_IMAGE = "docker.io/erlmachine/engine:0.1.0";
  static final String OPERATOR_IMAGE = "docker.io/erlmachine/operator:0.1.0";
  /** The busybox image {@code hack/cluster node up} builds for checks from inside pods. */
  static final String CHECK_IMAGE = "localhost/erlmachine/node-check:busybox";
  private static final ExtensionContext.Namespace STORE = ExtensionContext.Namespace.create(RealNodeCluster.class);

  @Override
  public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
    return parameter.getParameter().getType() == RealNode.class;
  }

  @Override
  public Object resolveParameter(ParameterContext parameter, ExtensionContext context) {
    return context.getRoot().getStore(STORE).getOrComputeIfAbsent(RealNode.class, key -> up(), RealNode.class);
  }

  private static RealNode up() {
    boolean alreadyUp = hack(Duration.ofSeconds(30), "status").exitCode() == 0;
    List<String> lines = hack(Duration.ofMinutes(75), "up").assertSuccess().stdout().strip().lines().toList();
    Path kubeconfig = Path.of(lines.get(lines.size() - 1));
    hack(Duration.ofMinutes(30), "node", "up").assertSuccess();
    KubernetesClient client;
    try {
      client = new KubernetesClientBuilder().withConfig(Config.fromKubeconfig(Files.readString(kubeconfig))).build();
    } catch (IOException e) {
      throw new IllegalStateException("cannot read kubeconfig " + kubeconfig, e);
    }
    return new RealNode(kubeconfig, client, new Kubectl(kubeconfig), !alreadyUp, new AtomicBoolean());
  }

  static CommandRunner.Result hack(Duration timeout, String... args) {
    List<String> command = new ArrayList<>(List.of(Repository.path("hack/cluster").toString()));
    command.addAll(List.of(args));
    return CommandRunner.run(command, Map.of(), timeout);
  }

  /** The running cluster, from a test's point of view. */
  public record RealNode(Path kubeconfig, KubernetesClient client, Kubectl kubectl, boolean startedHere, AtomicBoolean operatorInstalled)
      implements ExtensionContext.Store.CloseableResource, AutoCloseable {

    /**
     * Imports the image archives ({@code hack/images build}) into the node and installs the
     * operator from its chart and image, as a user does; it lands on the real node by its
     * namespace's defaults. Once per run.
     */
    synchronized void installOperator() {
      if (operatorInstalled.get()) {
        return;
      }
      hack(Duration.ofMinutes(5), "node", "load").assertSuccess();
      List<String> images = hack(Duration.ofSeconds(30), "node", "images").assertSuccess().stdout().lines().toList();
      for (String image : List.of(ENGINE_IMAGE, OPERATOR_IMAGE)) {
        if (!images.contains(image)) {
          throw new IllegalStateException("the real node has no image " + image + "; build the images with hack/images build");
        }
      }
      createNamespace(OPERATOR_NAMESPACE);
      String helm = hack(Duration.ofSeconds(30), "bin-dir").assertSuccess().stdout().strip() + "/helm";
      CommandRunner.run(List.of(helm, "upgrade", "--install", "erlmachine", Repository.path("helm/erlmachine").toString(),
          "--kubeconfig", kubeconfig.toString(), "--namespace", OPERATOR_NAMESPACE, "--wait", "--timeout", "4m"),
          Map.of(), Duration.ofMinutes(5)).assertSuccess();
      operatorInstalled.set(true);
    }

    /**
     * A namespace whose pods land on the real node (the PodNodeSelector and PodTolerationRestriction
     * defaults) and must meet the restricted Pod Security Standard.
     */
    void createNamespace(String name) {
      client.namespaces().resource(new NamespaceBuilder().withNewMetadata().withName(name)
          .addToLabels("pod-security.kubernetes.io/enforce", "restricted")
          .addToLabels("erlmachine.io/test", "true")
          .addToAnnotations("scheduler.alpha.kubernetes.io/node-selector", "erlmachine.io/node=real")
          .addToAnnotations("scheduler.alpha.kubernetes.io/defaultTolerations",
              "[{\"key\":\"erlmachine.io/real-node\",\"operator\":\"Exists\",\"effect\":\"NoSchedule\"}]")
          .endMetadata().build()).serverSideApply();
    }

    /** The host process id of a container's main process (containerd's task), for killing it as a crash would. */
    long containerPid(String containerId) {
      String id = containerId.replaceFirst("^containerd://", "");
      return Long.parseLong(hack(Duration.ofSeconds(30), "node", "pid", id).assertSuccess().stdout().strip());
    }

    @Override
    public void close() {
      client.close();
      if (startedHere && !"true".equals(System.getenv("ERLMACHINE_KEEP_CLUSTER"))) {
        hack(Duration.ofMinutes(3), "down");
      }
    }
  }
}
