package io.erlmachine.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.BufferedReader;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Predicate;

/** API requests from the kube-apiserver audit log, by verb, for the user agents selected, within a time window. */
record AuditCounts(long total, Map<String, Long> byVerb) {
  private static final ObjectMapper JSON = new ObjectMapper();

  static AuditCounts read(Path auditLog, Instant from, Instant to, Predicate<String> userAgent) throws IOException {
    Map<String, Long> byVerb = new TreeMap<>();
    long total = 0;
    try (BufferedReader reader = Files.newBufferedReader(auditLog)) {
      for (String line = reader.readLine(); line != null; line = reader.readLine()) {
        JsonNode event = JSON.readTree(line);
        if (!"ResponseComplete".equals(event.path("stage").asText())) {
          continue;
        }
        Instant at = Instant.parse(event.path("requestReceivedTimestamp").asText());
        if (at.isBefore(from) || at.isAfter(to) || !userAgent.test(event.path("userAgent").asText())) {
          continue;
        }
        String resource = event.path("objectRef").path("resource").asText("-");
        String subresource = event.path("objectRef").path("subresource").asText("");
        byVerb.merge(event.path("verb").asText() + " " + resource + (subresource.isEmpty() ? "" : "/" + subresource), 1L, Long::sum);
        total++;
      }
    }
    return new AuditCounts(total, byVerb);
  }
}
