package io.erlmachine.engine.cli;

import io.erlmachine.api.v1alpha1.Machine;
import io.erlmachine.api.v1alpha1.spec.Hosting;
import io.erlmachine.api.v1alpha1.status.MachineStatus;
import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.authorization.v1.SelfSubjectAccessReview;
import io.fabric8.kubernetes.api.model.authorization.v1.SelfSubjectAccessReviewBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.LocalPortForward;
import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Objects;

/**
 * A Machine on the cluster, reached through a port-forward to the pod that runs it (its host pod
 * and port from its status when shared; {@code NAME-0}, port 8080, when dedicated) — the way
 * {@code kubectl port-forward} reaches it, ready or not, whatever the NetworkPolicy lets in. A
 * shared machine's control token is read from the namespace's Secret erlmachine-host-control.
 * The API server's service proxy is not used: it strips the Authorization header, reaches only
 * ready endpoints, and (through Kubernetes 1.34) looks for Endpoints, which shared Machines'
 * Services do not have (the operator writes EndpointSlices).
 */
final class ClusterMachineEndpoint implements MachineEndpoint {
  static final String CONTROL_SECRET = "erlmachine-host-control";
  static final int DEDICATED_PORT = 8080;
  private static final List<String> PORT_FORWARD_VERBS = List.of("get", "create");

  private final String describe;
  private final String token;
  private final LocalPortForward forward;

  private ClusterMachineEndpoint(String describe, String token, LocalPortForward forward) {
    this.describe = describe;
    this.token = token;
    this.forward = forward;
  }

  static ClusterMachineEndpoint open(KubernetesClient client, String namespace, String name) {
    Machine machine = read("Machine " + name, namespace, () -> client.resources(Machine.class).inNamespace(namespace).withName(name).get());
    if (machine == null) {
      throw CliProblem.failed("no Machine " + name + " in namespace " + namespace + " (kubectl get machines -n " + namespace + ")");
    }
    MachineStatus status = machine.getStatus();
    if (status == null || status.hosting() == null) {
      throw CliProblem.failed("Machine " + namespace + "/" + name + " has not been placed yet" + readiness(status)
          + "; is the operator running?");
    }
    boolean shared = status.hosting() == Hosting.Shared;
    if (shared && (status.host() == null || status.port() == null)) {
      throw CliProblem.failed("Machine " + namespace + "/" + name + " waits for a host" + readiness(status));
    }
    String podName = shared ? status.host() : name + "-0";
    int port = shared ? status.port() : DEDICATED_PORT;
    String where = "machine " + namespace + "/" + name + " (" + (shared ? "on host pod " : "in pod ") + podName + ", port " + port + ")";
    Pod pod = read("pod " + podName, namespace, () -> client.pods().inNamespace(namespace).withName(podName).get());
    if (pod == null) {
      throw CliProblem.failed(where + " is not ready: the pod does not exist (yet)" + readiness(status));
    }
    String phase = pod.getStatus() == null ? null : pod.getStatus().getPhase();
    if (!"Running".equals(phase)) {
      throw CliProblem.failed(where + " is not ready: the pod is " + Objects.requireNonNullElse(phase, "not scheduled yet")
          + readiness(status));
    }
    String token = shared ? controlToken(client, namespace) : null;
    mayPortForward(client, namespace, podName);
    LocalPortForward forward = client.pods().inNamespace(namespace).withName(podName).portForward(port);
    return new ClusterMachineEndpoint(where, token, forward);
  }

  private static String controlToken(KubernetesClient client, String namespace) {
    Secret secret;
    try {
      secret = client.secrets().inNamespace(namespace).withName(CONTROL_SECRET).get();
    } catch (KubernetesClientException e) {
      if (e.getCode() == 403) {
        throw CliProblem.failed("you may not read the Secret " + CONTROL_SECRET + " in namespace " + namespace
            + ", whose token a shared machine's log needs (kubectl auth can-i get secret/" + CONTROL_SECRET + " -n " + namespace
            + "; ask for get on that one Secret)");
      }
      throw CliProblem.failed("cannot read the Secret " + CONTROL_SECRET + " in namespace " + namespace + ": " + e.getMessage());
    }
    String encoded = secret == null || secret.getData() == null ? null : secret.getData().get("token");
    if (encoded == null) {
      throw CliProblem.failed("the Secret " + CONTROL_SECRET + " in namespace " + namespace + " is missing or has no token;"
          + " the operator makes it with the namespace's first host");
    }
    return new String(Base64.getDecoder().decode(encoded), StandardCharsets.UTF_8).strip();
  }

  /**
   * Asks the API server first, so that a missing permission is named rather than seen as a broken connection. A
   * WebSocket port-forward is a GET, and from Kubernetes 1.35 on it needs create as well; a SPDY one is a POST.
   */
  private static void mayPortForward(KubernetesClient client, String namespace, String pod) {
    try {
      List<String> missing = PORT_FORWARD_VERBS.stream().filter(verb -> !mayPortForward(client, namespace, pod, verb)).toList();
      if (!missing.isEmpty()) {
        throw CliProblem.failed("you may not port-forward to pod " + pod + " in namespace " + namespace
            + " (missing " + String.join(" and ", missing) + " on pods/portforward; reading a machine's log takes get and create)");
      }
    } catch (KubernetesClientException e) {
      // Reviews may be unavailable to this user; the port-forward itself will tell.
    }
  }

  private static boolean mayPortForward(KubernetesClient client, String namespace, String pod, String verb) {
    SelfSubjectAccessReview review = new SelfSubjectAccessReviewBuilder().withNewSpec().withNewResourceAttributes()
        .withNamespace(namespace).withVerb(verb).withResource("pods").withSubresource("portforward").withName(pod)
        .endResourceAttributes().endSpec().build();
    SelfSubjectAccessReview answer = client.authorization().v1().selfSubjectAccessReview().create(review);
    return answer.getStatus() == null || Boolean.TRUE.equals(answer.getStatus().getAllowed());
  }

  private static String readiness(MachineStatus status) {
    if (status == null || status.conditions() == null) {
      return "";
    }
    List<String> said = new ArrayList<>();
    for (Condition condition : status.conditions()) {
      if ("Ready".equals(condition.getType()) && !"True".equals(condition.getStatus())) {
        said.add(condition.getReason() + (condition.getMessage() == null ? "" : ": " + condition.getMessage()));
      }
    }
    return said.isEmpty() ? "" : " (Ready=False, " + String.join("; ", said) + ")";
  }

  private static <T> T read(String what, String namespace, java.util.function.Supplier<T> get) {
    try {
      return get.get();
    } catch (KubernetesClientException e) {
      if (e.getCode() == 403) {
        throw CliProblem.failed("you may not read the " + what + " in namespace " + namespace + " (" + e.getMessage() + ")");
      }
      throw CliProblem.failed("cannot read the " + what + " in namespace " + namespace + ": " + e.getMessage());
    }
  }

  @Override
  public URI url() {
    return URI.create("http://127.0.0.1:" + forward.getLocalPort());
  }

  @Override
  public String token() {
    return token;
  }

  @Override
  public String describe() {
    return describe;
  }

  @Override
  public String whyUnreachable(IOException failure) {
    List<String> causes = new ArrayList<>();
    forward.getClientThrowables().forEach(t -> causes.add(t.getMessage()));
    forward.getServerThrowables().forEach(t -> causes.add(t.getMessage()));
    return causes.isEmpty() ? "the port-forward failed: " + failure : "the port-forward failed: " + String.join("; ", causes);
  }

  @Override
  public void close() {
    try {
      forward.close();
    } catch (IOException e) {
      // The forward's socket goes with the process.
    }
  }
}
