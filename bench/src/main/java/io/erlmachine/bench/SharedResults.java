package io.erlmachine.bench;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/** One run of {@link SharedAtScale}. */
record SharedResults(int machines, int namespaces, Duration baseline, AuditCounts baselineRequests, AuditCounts baselineHostRequests,
                     ObjectCounts baselineObjects, double baselineLoadAtEnd, OperatorPhase operator, String operatorJvmOptions, Instant finishedAt) {

  /** What the operator phase measured. */
  record OperatorPhase(Duration placed, Duration ready, long peakRssBytes, AuditCounts requests, AuditCounts hostRequests,
                       ObjectCounts objects, LedgerCounts ledger, int hosts, List<MachineProgress.Sample> timeline, String heapAfterFullGc) {
  }

  static final String READY_ON_KWOK = "kwok runs no process in a pod: a Machine counts as Ready when the operator set Ready=True, "
      + "which it does when its host pod is Running and Ready (kwok's fake status) and the host's Lease, held by a live holder, "
      + "reports the machine ready at the Machine's generation and serial. The reports come from the bench's host stand-in, which "
      + "plays each host through the API as the engine's cluster host does (takes its Lease, watches the ConfigMaps labelled with "
      + "its name, writes changed reports at most every 500 ms in one Lease update per host, renews every 5 s) and reports a "
      + "machine ready as soon as it has seen its config: no engine starts, no gearbox runs, no port listens.";

  double throughputRatio() {
    return (double) baseline.toMillis() / operator.ready().toMillis();
  }

  /** Objects besides the Machines, per Machine: those in the Machines' namespaces plus the serial ledger. */
  double operatorObjectsPerMachine() {
    return (double) (operator.objects().total() + operator.ledger().objects()) / machines;
  }

  String toJson() throws JsonProcessingException {
    Map<String, Object> json = new LinkedHashMap<>();
    json.put("machines", machines);
    json.put("namespaces", namespaces);
    json.put("readyMeans", READY_ON_KWOK);
    Map<String, Object> base = new LinkedHashMap<>();
    base.put("seconds", baseline.toMillis() / 1000.0);
    base.put("requests", baselineRequests.total());
    base.put("requestsPerMachine", (double) baselineRequests.total() / machines);
    base.put("requestsByVerb", baselineRequests.byVerb());
    base.put("hostStandInRequests", baselineHostRequests.total());
    base.put("objects", baselineObjects.byKind());
    base.put("objectsPerMachine", (double) baselineObjects.total() / machines);
    base.put("loadAverageAtEnd", baselineLoadAtEnd);
    json.put("baseline", base);
    Map<String, Object> op = new LinkedHashMap<>();
    op.put("placedSeconds", operator.placed().toMillis() / 1000.0);
    op.put("readySeconds", operator.ready().toMillis() / 1000.0);
    op.put("throughputRatio", throughputRatio());
    op.put("peakRssMiB", operator.peakRssBytes() / (1024.0 * 1024.0));
    op.put("hosts", operator.hosts());
    op.put("requests", operator.requests().total());
    op.put("requestsPerMachine", (double) operator.requests().total() / machines);
    op.put("requestsByVerb", operator.requests().byVerb());
    op.put("hostStandInRequests", operator.hostRequests().total());
    op.put("hostStandInRequestsByVerb", operator.hostRequests().byVerb());
    op.put("objects", operator.objects().byKind());
    op.put("objectsPerMachine", operatorObjectsPerMachine());
    op.put("machineEventsByTypeAndReason", operator.objects().machineEventReasons());
    op.put("serialLedger", new TreeMap<>(operator.ledger().toJson(machines)));
    op.put("timeline", operator.timeline());
    op.put("heapAfterFullGc", operator.heapAfterFullGc());
    json.put("operator", op);
    json.put("operatorJvmOptions", operatorJvmOptions);
    json.put("finishedAt", finishedAt.toString());
    return new ObjectMapper().findAndRegisterModules().enable(SerializationFeature.INDENT_OUTPUT).writeValueAsString(json);
  }

  String toMarkdown() {
    StringBuilder objects = new StringBuilder();
    operator.objects().byKind().forEach((kind, count) -> objects.append(String.format("| %s | %d | %.4f | %d |%n", kind, count,
        (double) count / machines, baselineObjects.of(kind))));
    return String.format("""
        | measure | operator | baseline (direct writes) |
        |---|---|---|
        | shared machines, namespaces | %d, %d | %d, %d |
        | until all placed | %.1f s | |
        | until all Ready (reported ready) | %.1f s (%.1f machines/s) | %.1f s (%.1f machines/s) |
        | throughput / baseline | %.2f | 1 |
        | operator peak RSS | %.0f MiB | |
        | hosts | %d | |
        | API requests per Machine (operator / direct client) | %.2f | %.2f |
        | API requests per Machine (host stand-in) | %.2f | %.2f |
        | objects besides the Machines, per Machine | %.3f | %.3f |
        | serial ledger: objects, writes per Machine | %d, %.3f | none |

        | kind | operator | per Machine | baseline |
        |---|---|---|---|
        %s| serial ledger (ConfigMaps in %s) | %d | %.4f | 0 |
        """, machines, namespaces, machines, namespaces,
        operator.placed().toMillis() / 1000.0,
        operator.ready().toMillis() / 1000.0, machines * 1000.0 / operator.ready().toMillis(), baseline.toMillis() / 1000.0,
        machines * 1000.0 / baseline.toMillis(),
        throughputRatio(), operator.peakRssBytes() / (1024.0 * 1024.0), operator.hosts(),
        (double) operator.requests().total() / machines, (double) baselineRequests.total() / machines,
        (double) operator.hostRequests().total() / machines, (double) baselineHostRequests.total() / machines,
        operatorObjectsPerMachine(), (double) baselineObjects.total() / machines,
        operator.ledger().objects(), (double) operator.ledger().writes() / machines,
        objects, OperatorProcess.NAMESPACE, operator.ledger().objects(), (double) operator.ledger().objects() / machines);
  }
}
