package io.erlmachine.operator.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;
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

  Hosts hosts();

  LeaderElectionTimes leaderElection();

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

  /**
   * Shared engine hosts: the pods of one StatefulSet per namespace that run many machines each.
   * A host's machines' memory adds up to at most its memory limit minus its reserved memory.
   */
  interface Hosts {
    /** Machines one host runs at most; the machine in slot s listens on port 20000 + s. */
    @WithDefault("200")
    int machinesPerHost();

    /** Memory request of a host pod. */
    @WithDefault("1Gi")
    String memoryRequest();

    /** Memory limit of a host pod. */
    @WithDefault("2Gi")
    String memoryLimit();

    /** Memory a host keeps for itself (JVM, compiler, HTTP server), not given to machines. */
    @WithDefault("512Mi")
    String reservedMemory();

    /** CPU request of a host pod. */
    @WithDefault("500m")
    String cpuRequest();

    /** Memory a shared machine counts with when its spec.resources.requests.memory is not given. */
    @WithDefault("4Mi")
    String defaultMachineMemory();
  }

  /**
   * Timing of the operator's leader Lease. The leader stops when it could not renew for the
   * renew deadline; a standby takes over once the Lease is older than its duration. The renew
   * deadline must outlast a request that hits the client's 10 s timeout and leave room for
   * retries: a busy API server (10,000 Machines created at once on 2 cores) answers single
   * reads after more than 10 s, and a deadline equal to the timeout turned one slow read into
   * an operator restart. Machines keep running while no operator leads; only reconciling waits.
   */
  interface LeaderElectionTimes {
    @WithDefault("30s")
    Duration leaseDuration();

    @WithDefault("25s")
    Duration renewDeadline();

    @WithDefault("2s")
    Duration retryPeriod();
  }
}
