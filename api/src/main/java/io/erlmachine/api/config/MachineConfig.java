package io.erlmachine.api.config;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.erlmachine.api.v1alpha1.spec.SelfTest;
import java.util.List;
import java.util.Map;

/**
 * The one document the operator renders for each machine and the engine runs: the contract
 * between them. It is self-contained: every source is resolved, every target has its DNS name.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record MachineConfig(
    @JsonPropertyDescription("Format version of this document: " + MachineConfig.FORMAT)
    String format,
    @JsonPropertyDescription("Who the machine is.")
    Identity machine,
    @JsonPropertyDescription("Engaged or Disengaged: whether messages flow.")
    String clutch,
    @JsonPropertyDescription("Limits the engine enforces.")
    Limits limits,
    @JsonPropertyDescription("Hosts gear JavaScript may call over HTTP, as host (ports 80 and 443) or host:port.")
    List<String> outboundHosts,
    @JsonPropertyDescription("Read-only application data gears can read, by key.")
    Map<String, String> applicationData,
    @JsonPropertyDescription("Gearboxes to run, with resolved sources.")
    List<GearboxConfig> gearboxes,
    @JsonPropertyDescription("Where gears' output leaves the machine.")
    List<RouteConfig> routes,
    @JsonPropertyDescription("Where the machine answers on an engine host it shares with other machines; absent when the"
        + " machine has its engine to itself and answers on the engine's own port.")
    Listener listener) {

  public static final String FORMAT = "erlmachine.io/machine-config/v1alpha1";

  /** A config without a listener of its own: the machine answers on its engine's port. */
  public MachineConfig(String format, Identity machine, String clutch, Limits limits, List<String> outboundHosts,
                       Map<String, String> applicationData, List<GearboxConfig> gearboxes, List<RouteConfig> routes) {
    this(format, machine, clutch, limits, outboundHosts, applicationData, gearboxes, routes, null);
  }

  /** The same config, answering at the given listener. */
  public MachineConfig withListener(Listener newListener) {
    return new MachineConfig(format, machine, clutch, limits, outboundHosts, applicationData, gearboxes, routes, newListener);
  }

  /** Address and port of a machine's own listener on a shared engine host. */
  public record Listener(
      @JsonPropertyDescription("IP address to listen on, for example 127.0.0.12 or 0.0.0.0.")
      String address,
      @JsonPropertyDescription("TCP port to listen on.")
      int port) {
  }

  /** Identity of the machine. */
  public record Identity(String name, String namespace, long serial, String dnsName) {
  }

  /**
   * Engine limits with every default applied; durations in milliseconds, sizes in bytes.
   * {@code maxRetainedHeapBytes} 0 means the engine host's default (the machine's share of the host's budget).
   */
  public record Limits(int mailboxCapacity, long maxMessageBytes, long messageTimeoutMillis, long statementLimit, int maxGears,
                       long maxRetainedHeapBytes) {
    /** Limits that leave the retained heap to the engine host's default. */
    public Limits(int mailboxCapacity, long maxMessageBytes, long messageTimeoutMillis, long statementLimit, int maxGears) {
      this(mailboxCapacity, maxMessageBytes, messageTimeoutMillis, statementLimit, maxGears, 0);
    }
  }

  /** A gearbox with its gears' sources resolved. */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public record GearboxConfig(String name, String clutch, List<GearConfig> gears, List<ShaftConfig> shafts,
                              Map<String, String> tools, List<SelfTest> selfTests,
                              int maxRestarts, long restartWindowMillis, boolean selfTestsGateReadiness) {
  }

  /** One gear: its prototype, resolved source and parameters. */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public record GearConfig(String name, String prototype, String source, Map<String, String> params, Integer mailboxCapacity,
                           Long intervalMillis) {
  }

  /** A shaft between two gears of one gearbox. */
  public record ShaftConfig(String from, String to) {
  }

  /** Output of one local gear carried by a transmission to gears on other machines. */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public record RouteConfig(String transmission, String pattern, String gearbox, String gear, List<TargetConfig> targets,
                            Delivery delivery, String clutch) {
  }

  /** A target gear on a machine, addressed by the machine's DNS name. */
  public record TargetConfig(String machine, String dnsName, String gearbox, String gear) {
  }

  /** Delivery policy with every default applied. */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public record Delivery(int maxRetries, long initialBackoffMillis, long maxBackoffMillis, long timeoutMillis,
                         String deadLetterGearbox, String deadLetterGear) {
  }
}
