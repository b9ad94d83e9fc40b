package io.erlmachine.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.BufferedReader;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Consumer;
import java.util.function.Predicate;

/** API requests from the kube-apiserver audit log, by verb, for the user agents selected, within a time window. */
record AuditCounts(long total, Map<String, Long> byVerb) {
  private static final ObjectMapper JSON = new ObjectMapper();

  static AuditCounts read(Path auditLog, Instant from, Instant to, Predicate<String> userAgent) throws IOException {
    Map<String, Long> byVerb = new TreeMap<>();
    forEachRequest(auditLog, from, to, userAgent, event -> {
      String resource = event.path("objectRef").path("resource").asText("-");
      String subresource = event.path("objectRef").path("subresource").asText("");
      byVerb.merge(event.path("verb").asText() + " " + resource + (subresource.isEmpty() ? "" : "/" + subresource), 1L, Long::sum);
    });
    return new AuditCounts(byVerb.values().stream().mapToLong(Long::longValue).sum(), byVerb);
  }

  /** Creates, updates and patches of the ConfigMaps in {@code namespace} whose names start with {@code prefix}. */
  static long configMapWrites(Path auditLog, Instant from, Instant to, Predicate<String> userAgent, String namespace, String prefix)
      throws IOException {
    long[] writes = {0};
    forEachRequest(auditLog, from, to, userAgent, event -> {
      JsonNode object = event.path("objectRef");
      boolean write = Set.of("create", "update", "patch").contains(event.path("verb").asText());
      if (write && "configmaps".equals(object.path("resource").asText()) && namespace.equals(object.path("namespace").asText())
          && object.path("name").asText().startsWith(prefix)) {
        writes[0]++;
      }
    });
    return writes[0];
  }

  /**
   * The API server's audit log writer rotates its file at 100 MB when no size is set, keeping the older part beside it
   * as {@code audit-<time>.log}; a run of 10,000 machines fills several, so every file of the log is read.
   */
  private static void forEachRequest(Path auditLog, Instant from, Instant to, Predicate<String> userAgent, Consumer<JsonNode> action)
      throws IOException {
    String name = auditLog.getFileName().toString();
    String stem = name.endsWith(".log") ? name.substring(0, name.length() - ".log".length()) : name;
    try (var files = Files.list(auditLog.toAbsolutePath().getParent())) {
      for (Path file : files.filter(f -> f.getFileName().toString().startsWith(stem) && f.getFileName().toString().endsWith(".log")).sorted().toList()) {
        forEachRequestIn(file, from, to, userAgent, action);
      }
    }
  }

  private static void forEachRequestIn(Path auditLog, Instant from, Instant to, Predicate<String> userAgent, Consumer<JsonNode> action)
      throws IOException {
    try (BufferedReader reader = Files.newBufferedReader(auditLog)) {
      for (String line = reader.readLine(); line != null; line = reader.readLine()) {
        JsonNode event = JSON.readTree(line);
        if (!"ResponseComplete".equals(event.path("stage").asText())) {
          continue;
        }
        Instant at = Instant.parse(event.path("requestReceivedTimestamp").asText());
        if (!at.isBefore(from) && !at.isAfter(to) && userAgent.test(event.path("userAgent").asText())) {
          action.accept(event);
        }
      }
    }
  }
}
