package io.erlmachine.bench;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;

/** One run of {@link MachinesAtScale}. */
record Results(int machines, Duration baseline, Duration operator, long operatorPeakRssBytes, AuditCounts operatorRequests,
               LedgerCounts serialLedger, String operatorJvmOptions, Instant finishedAt) {

  double throughputRatio() {
    return (double) baseline.toMillis() / operator.toMillis();
  }

  String toJson() throws JsonProcessingException {
    Map<String, Object> json = new LinkedHashMap<>();
    json.put("machines", machines);
    json.put("baselineSeconds", baseline.toMillis() / 1000.0);
    json.put("operatorSeconds", operator.toMillis() / 1000.0);
    json.put("throughputRatio", throughputRatio());
    json.put("operatorPeakRssMiB", operatorPeakRssBytes / (1024.0 * 1024.0));
    json.put("operatorRequests", operatorRequests.total());
    json.put("operatorRequestsPerMachine", (double) operatorRequests.total() / machines);
    json.put("operatorRequestsByVerb", operatorRequests.byVerb());
    json.put("serialLedger", new TreeMap<>(serialLedger.toJson(machines)));
    json.put("operatorJvmOptions", operatorJvmOptions);
    json.put("finishedAt", finishedAt.toString());
    return new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValueAsString(json);
  }

  String toMarkdown() {
    return String.format("""
        | measure | value |
        |---|---|
        | machines | %d |
        | baseline (direct fabric8 creates) until all ready | %.1f s (%.1f machines/s) |
        | operator until all Machines Ready | %.1f s (%.1f machines/s) |
        | operator throughput / baseline | %.2f |
        | operator peak RSS | %.0f MiB |
        | operator API requests per Machine | %.1f |
        | serial ledger: objects, bindings, data | %d, %d, %d bytes |
        | serial ledger: writes (per Machine) | %d (%.3f) |
        """, machines, baseline.toMillis() / 1000.0, machines * 1000.0 / baseline.toMillis(), operator.toMillis() / 1000.0,
        machines * 1000.0 / operator.toMillis(), throughputRatio(), operatorPeakRssBytes / (1024.0 * 1024.0),
        (double) operatorRequests.total() / machines, serialLedger.objects(), serialLedger.bindings(), serialLedger.dataBytes(),
        serialLedger.writes(), (double) serialLedger.writes() / machines);
  }
}
