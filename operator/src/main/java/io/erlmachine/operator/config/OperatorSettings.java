package io.erlmachine.operator.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.util.List;

/** Operator settings, from application.properties, environment variables (ERLMACHINE_...) or the Helm chart. */
@ConfigMapping(prefix = "erlmachine")
public interface OperatorSettings {

  /** Namespace the operator runs in: it keeps its leader-election Lease and serial-number counter there. */
  String operatorNamespace();

  /** DNS suffix of the cluster; machines are reachable at name.namespace.svc.CLUSTER_DOMAIN. */
  @WithDefault("cluster.local")
  String clusterDomain();

  Engine engine();

  Serials serials();

  NetworkPolicies networkPolicies();

  /** How engine pods are run. */
  interface Engine {
    /** Container image of the engine. */
    @WithDefault("erlmachine/engine:0.1.0")
    String image();

    /** Always, IfNotPresent or Never. */
    @WithDefault("IfNotPresent")
    String pullPolicy();

    /** CPU request when the Machine gives none. */
    @WithDefault("50m")
    String defaultCpuRequest();

    /** Memory request when the Machine gives none (the engine's JIT compiler lives in its heap). */
    @WithDefault("384Mi")
    String defaultMemoryRequest();

    /** Memory limit when the Machine gives none. */
    @WithDefault("768Mi")
    String defaultMemoryLimit();
  }

  /** Serial-number allocation. */
  interface Serials {
    /** Serials reserved per write to the counter; unused ones are skipped after a restart. */
    @WithDefault("100")
    int blockSize();
  }

  /** The NetworkPolicy each machine gets. */
  interface NetworkPolicies {
    /** Namespaces whose pods may scrape engine metrics and call the engine API (besides the operator's own). */
    @WithDefault("monitoring")
    List<String> scraperNamespaces();
  }
}
