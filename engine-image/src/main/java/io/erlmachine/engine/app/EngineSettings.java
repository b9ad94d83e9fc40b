package io.erlmachine.engine.app;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;
import java.util.Optional;

/** Engine settings that are not part of the machine config (environment variables ERLMACHINE_ENGINE_*). */
@ConfigMapping(prefix = "erlmachine.engine")
public interface EngineSettings {

  /**
   * The machine config: a file (an engine that runs one machine, answering on the engine's own
   * port) or a directory with one machine config per file (an engine host; each machine answers
   * at its config's listener).
   */
  Optional<String> configFile();

  /** How often the config file is checked for changes (hot reload). */
  @WithDefault("1s")
  Duration reloadCheckInterval();

  /** Threads that run gears; defaults to the number of available processors (at least 2). */
  Optional<Integer> workers();

  /** Memory one gear may allocate while handling one message before the watchdog stops it. */
  @WithDefault("256")
  int allocationLimitMebibytes();

  /** Hops one machine's journal keeps at most (the most recent ones, of all messages), for GET /api/v1/tracks. */
  @WithDefault("65536")
  int journalHops();

  /** Dead letters one machine keeps at most for inspection (all are counted). */
  @WithDefault("1000")
  int deadLettersKept();

  /** Log lines a gear may write per second. */
  @WithDefault("100")
  int logLinesPerSecond();

  /** Recent log lines one machine keeps at most for GET /api/v1/logs, in KiB (its share of the host's may be less). */
  @WithDefault("256")
  int logKibibytes();

  /** Port at which other machines' engines answer (their Service port; local mode uses its own). */
  @WithDefault("80")
  int peerPort();

  /**
   * When set, requests that change a machine (everything but GET and HEAD, and but messages and
   * batches from other machines) must carry {@code Authorization: Bearer <token>}. Engine hosts
   * get it from the Secret erlmachine-host-control; unset, the API is open as before.
   */
  Optional<String> controlToken();

  /**
   * On SIGTERM, how long the engine takes at most to finish the messages it accepted (taking no new ones) before it stops
   * its machines; what is left then is dead-lettered. Keep it below the pod's termination grace period (30 s for hosts).
   */
  @WithDefault("20s")
  Duration drainTimeout();

  /**
   * On SIGTERM, how long the engine refuses new messages (503 ShuttingDown) at least, even when it has nothing left to
   * finish: machines sending to it learn from that answer that the machine moves and wait for its next engine.
   */
  @WithDefault("2s")
  Duration drainMinimum();

  /**
   * How long a transmission waits, without using up its delivery's retries, for a target machine that answered
   * 503 ShuttingDown (its engine drains before another one serves it): the target's drain timeout, its pod's
   * replacement and the machine's start. Afterwards its failures count as retries again, up to dead letters.
   */
  @WithDefault("90s")
  Duration movingTargetPatience();

  /**
   * How long a transmission keeps waiting, without using up its delivery's retries, for a target gear whose mailbox is
   * full and that has taken none of its messages meanwhile. A full mailbox is flow control: while the target takes
   * anything at all, the sender waits (and its own queue holds back the gear that emits). Afterwards the refusals count
   * as retries again, up to dead letters.
   */
  @WithDefault("60s")
  Duration fullMailboxPatience();

  /** Refuse to start without the optimizing compiler (JVMCI and the Graal compiler jars). */
  @WithDefault("false")
  boolean requireCompiler();

  /** What the machines of this engine keep, in total; each machine gets its share (see HostBudgets). */
  Host host();

  /** Host-wide budgets for state machines keep after handling messages. */
  interface Host {
    /** Journal hops all machines keep together. */
    @WithDefault("262144")
    int journalHops();

    /** Dead letters all machines keep together for inspection. */
    @WithDefault("16384")
    int deadLetters();

    /** Bytes of dead-lettered messages all machines keep together, in MiB. */
    @WithDefault("64")
    int deadLetterMebibytes();

    /** Delivery ids all machines remember together to suppress duplicate deliveries. */
    @WithDefault("262144")
    int deliveryWindow();

    /** Recent log lines all machines keep together for GET /api/v1/logs, in MiB. */
    @WithDefault("32")
    int logMebibytes();

    /**
     * Share of the JVM's maximum heap that all machines' JavaScript may retain together between messages, in percent; a
     * machine without {@code limits.maxRetainedHeap} may retain its share of it (at least 16 MiB). 0 switches the
     * retained-heap limit off.
     */
    @WithDefault("50")
    int retainedHeapPercent();

    /** Cluster host mode: the host's machines come from the Kubernetes API (see docs/shared-hosting.md). */
    Cluster cluster();
  }

  /**
   * A shared engine host on Kubernetes: it watches the config ConfigMaps labelled with its name, runs their machines
   * only while it holds the Lease of its name, and publishes its machines' reports on that Lease.
   */
  interface Cluster {
    /** Off by default: an engine that is not a cluster host starts no Kubernetes client at all. */
    @WithDefault("false")
    boolean enabled();

    /** The namespace of the host's ConfigMaps and Lease; defaults to POD_NAMESPACE, then the client's namespace. */
    Optional<String> namespace();

    /** The host's name (its pod name, erlmachine-host-N); defaults to POD_NAME. */
    Optional<String> name();

    /** A kubeconfig file, for a host outside the cluster; in a pod the ServiceAccount's credentials are used. */
    Optional<String> kubeconfig();

    /**
     * Every machine listens on this address instead of the one in its config (the operator writes 0.0.0.0): for a host
     * outside the cluster, for example 127.0.0.1. Unset in a pod.
     */
    Optional<String> listenAddress();

    /** How long a Lease holder that stopped renewing blocks every other host of the same name. */
    @WithDefault("15s")
    Duration leaseDuration();

    /** How often the holder renews its Lease. */
    @WithDefault("5s")
    Duration renewInterval();

    /**
     * How long renewals may fail before the host stops every machine; shorter than the lease duration, so the host has
     * stopped before another one may take the Lease.
     */
    @WithDefault("10s")
    Duration renewDeadline();

    /** How often a host that waits for its Lease looks at it again. */
    @WithDefault("1s")
    Duration retryPeriod();

    /** How often changed machine reports are written to the Lease at most. */
    @WithDefault("500ms")
    Duration reportInterval();
  }
}
