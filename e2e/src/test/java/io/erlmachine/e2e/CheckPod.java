package io.erlmachine.e2e;

import io.erlmachine.e2e.RealNodeCluster.RealNode;
import io.erlmachine.testkit.CommandRunner;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** A busybox pod (the node's check image) that runs commands inside the cluster's network, with the restricted security context. */
record CheckPod(RealNode node, String namespace, String name) {

  static CheckPod start(RealNode node, String namespace, String name, String... command) {
    StringBuilder args = new StringBuilder();
    for (String arg : command) {
      args.append(args.isEmpty() ? "" : ", ").append('"').append(arg.replace("\"", "\\\"")).append('"');
    }
    String manifest = """
        apiVersion: v1
        kind: Pod
        metadata: {name: %s, namespace: %s, labels: {app: %s}}
        spec:
          automountServiceAccountToken: false
          securityContext: {runAsNonRoot: true, runAsUser: 65532, seccompProfile: {type: RuntimeDefault}}
          containers:
            - name: main
              image: %s
              imagePullPolicy: IfNotPresent
              args: [%s]
              securityContext: {allowPrivilegeEscalation: false, readOnlyRootFilesystem: true, capabilities: {drop: [ALL]}}
        """.formatted(name, namespace, name, RealNodeCluster.CHECK_IMAGE, args);
    node.kubectl().run("apply", "-f", writeTemp(manifest)).assertSuccess();
    node.kubectl().run("wait", "--for=condition=Ready", "pod/" + name, "-n", namespace, "--timeout=60s").assertSuccess();
    return new CheckPod(node, namespace, name);
  }

  /** Runs a busybox applet inside the pod. */
  CommandRunner.Result exec(String... command) {
    List<String> args = new ArrayList<>(List.of("exec", "-n", namespace, name, "--", "/bin/busybox"));
    args.addAll(List.of(command));
    return node.kubectl().run(args.toArray(String[]::new));
  }

  String podIp() {
    return node.client().pods().inNamespace(namespace).withName(name).get().getStatus().getPodIP();
  }

  private static String writeTemp(String manifest) {
    try {
      Path file = Files.createTempFile("check-pod", ".yaml");
      Files.writeString(file, manifest);
      file.toFile().deleteOnExit();
      return file.toString();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
