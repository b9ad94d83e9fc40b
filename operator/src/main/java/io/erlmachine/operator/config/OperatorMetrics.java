package io.erlmachine.operator.config;

import io.javaoperatorsdk.operator.api.monitoring.Metrics;
import io.javaoperatorsdk.operator.monitoring.micrometer.MicrometerMetrics;
import io.micrometer.core.instrument.MeterRegistry;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;

/**
 * The operator's reconciliation metrics, per controller rather than per resource: with a
 * timer and counters for each of 1,000 Machines the per-resource default held about 10 MiB of
 * meters, and Prometheus would scrape thousands of series nobody graphs.
 */
@Singleton
public class OperatorMetrics {
  @Produces
  @Singleton
  Metrics metrics(MeterRegistry registry) {
    return MicrometerMetrics.withoutPerResourceMetrics(registry);
  }
}
