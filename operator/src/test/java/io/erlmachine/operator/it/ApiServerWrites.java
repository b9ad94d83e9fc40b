package io.erlmachine.operator.it;

import io.fabric8.kubernetes.client.KubernetesClient;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Counts write requests the API server has served, from its own apiserver_request_total
 * metric, for the resources the operator manages. Counted at the server, so nothing the
 * operator does escapes it.
 */
final class ApiServerWrites {
  static final Set<String> OPERATOR_RESOURCES =
      Set.of("machines", "configmaps", "services", "statefulsets", "networkpolicies", "serviceaccounts", "events", "endpointslices", "roles", "rolebindings");
  private static final Set<String> WRITE_VERBS = Set.of("POST", "PUT", "PATCH", "DELETE", "APPLY");
  private static final Pattern SAMPLE = Pattern.compile("^apiserver_request_total\\{(.*)} ([0-9.e+]+)$");
  private static final Pattern LABEL = Pattern.compile("(\\w+)=\"([^\"]*)\"");

  private ApiServerWrites() {
  }

  /** Write counts keyed by "VERB resource/subresource". */
  static Map<String, Long> snapshot(KubernetesClient client) {
    String metrics = client.raw(client.getConfiguration().getMasterUrl() + "metrics");
    Map<String, Long> counts = new TreeMap<>();
    metrics.lines().forEach(line -> {
      Matcher sample = SAMPLE.matcher(line);
      if (!sample.matches()) {
        return;
      }
      Map<String, String> labels = new TreeMap<>();
      Matcher label = LABEL.matcher(sample.group(1));
      while (label.find()) {
        labels.put(label.group(1), label.group(2));
      }
      if (WRITE_VERBS.contains(labels.get("verb")) && OPERATOR_RESOURCES.contains(labels.get("resource"))) {
        String key = labels.get("verb") + " " + labels.get("resource") + (labels.get("subresource").isEmpty() ? "" : "/" + labels.get("subresource"));
        counts.merge(key, (long) Double.parseDouble(sample.group(2)), Long::sum);
      }
    });
    return counts;
  }

  /**
   * Waits until nothing else writes: no namespace is still being torn down (the garbage
   * collector's deletes would count) and the counters stay unchanged for {@code quiet}.
   */
  static Map<String, Long> awaitQuiet(KubernetesClient client, Duration quiet, Duration timeout) throws InterruptedException {
    Instant deadline = Instant.now().plus(timeout);
    Map<String, Long> previous = snapshot(client);
    while (Instant.now().isBefore(deadline)) {
      Thread.sleep(quiet.toMillis());
      boolean terminating = client.namespaces().list().getItems().stream()
          .anyMatch(namespace -> "Terminating".equals(namespace.getStatus().getPhase()));
      Map<String, Long> current = snapshot(client);
      if (!terminating && current.equals(previous)) {
        return current;
      }
      previous = current;
    }
    throw new IllegalStateException("the cluster did not become quiet within " + timeout);
  }

  /** What was written between two snapshots. */
  static Map<String, Long> difference(Map<String, Long> before, Map<String, Long> after) {
    Map<String, Long> delta = new TreeMap<>();
    after.forEach((key, count) -> {
      long change = count - before.getOrDefault(key, 0L);
      if (change != 0) {
        delta.put(key, change);
      }
    });
    return delta;
  }
}
