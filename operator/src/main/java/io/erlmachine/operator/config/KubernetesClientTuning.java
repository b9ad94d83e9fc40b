package io.erlmachine.operator.config;

import io.fabric8.kubernetes.client.Config;
import io.quarkus.kubernetes.client.KubernetesConfigCustomizer;
import jakarta.inject.Singleton;

/**
 * fabric8 allows 5 concurrent requests per API server by default. The operator runs 50
 * reconciliations and 50 workflow steps at once, and with 1,000 Machines those would queue
 * behind 5 connections until requests time out and the leader Lease cannot be renewed.
 */
@Singleton
public class KubernetesClientTuning implements KubernetesConfigCustomizer {
  static final int MAX_CONCURRENT_REQUESTS = 128;

  @Override
  public void customize(Config config) {
    config.setMaxConcurrentRequests(MAX_CONCURRENT_REQUESTS);
    config.setMaxConcurrentRequestsPerHost(MAX_CONCURRENT_REQUESTS);
  }
}
