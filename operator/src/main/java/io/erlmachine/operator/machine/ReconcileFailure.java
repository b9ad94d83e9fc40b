package io.erlmachine.operator.machine;

import io.fabric8.kubernetes.client.KubernetesClientException;
import io.javaoperatorsdk.operator.AggregatedOperatorException;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;

/** Turns an exception from a reconcile into one line a user can act on: which owned object failed, and the API server's words. */
final class ReconcileFailure {
  private ReconcileFailure() {
  }

  static MachineProblem describe(Exception failure) {
    String message;
    if (failure instanceof AggregatedOperatorException aggregated && !aggregated.getAggregatedExceptions().isEmpty()) {
      Map<String, Exception> byDependent = new TreeMap<>(aggregated.getAggregatedExceptions());
      message = byDependent.entrySet().stream()
          .map(entry -> "could not apply the machine's " + entry.getKey() + ": " + rootMessage(entry.getValue()))
          .collect(Collectors.joining("; "));
    } else {
      message = "reconcile failed: " + rootMessage(failure);
    }
    return new MachineProblem("ReconcileFailed", message + " (the operator retries with backoff)");
  }

  private static String rootMessage(Throwable failure) {
    for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
      if (cause instanceof KubernetesClientException client && client.getStatus() != null && client.getStatus().getMessage() != null) {
        return client.getStatus().getMessage();
      }
    }
    Throwable root = failure;
    while (root.getCause() != null && root.getCause() != root) {
      root = root.getCause();
    }
    return root.getMessage() == null ? root.getClass().getSimpleName() : root.getMessage();
  }
}
