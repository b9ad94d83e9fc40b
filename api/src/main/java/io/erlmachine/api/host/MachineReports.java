package io.erlmachine.api.host;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.Map;
import java.util.TreeMap;

/**
 * How a host's machines stand, as the host publishes them on its Lease
 * ({@link HostContract#REPORTS_ANNOTATION}): machine name → report. About 100 bytes per machine,
 * so a host of 1,000 machines stays far below the 256 KiB annotation limit.
 */
public final class MachineReports {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final TypeReference<TreeMap<String, Report>> TYPE = new TypeReference<>() {
  };

  /**
   * One machine on a host. {@code ready}: its gearboxes run and its self-tests pass; otherwise
   * {@code reason} (one word) and {@code message} say why. {@code generation} is the Machine
   * generation of the config the host runs, so the operator can tell an old report from a new one.
   */
  public record Report(long serial, long generation, boolean ready, String reason, String message) {
  }

  private MachineReports() {
  }

  public static String toJson(Map<String, Report> reports) {
    try {
      return JSON.writeValueAsString(new TreeMap<>(reports));
    } catch (JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }

  /** The reports in an annotation value; an absent or unreadable value reads as no reports. */
  public static Map<String, Report> fromJson(String json) {
    if (json == null || json.isBlank()) {
      return Map.of();
    }
    try {
      return JSON.readValue(json, TYPE);
    } catch (JsonProcessingException e) {
      return Map.of();
    }
  }
}
