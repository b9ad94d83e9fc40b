package io.erlmachine.bench.link;

import com.fasterxml.jackson.databind.JsonNode;

/** docs/benchmarks/link.md from one run of {@link LinkBench}. */
final class LinkReport {
  private LinkReport() {
  }

  static String markdown(JsonNode r) {
    JsonNode engine = r.get("engine");
    JsonNode node = r.get("nodeNats");
    return String.format("""
        # Link benchmark: two machines joined by a Pipeline transmission

        Produced by `bench/link.sh` (%s) on %d cores; raw numbers in [link.json](link.json).

        A producer makes order messages as fast as it can and sends each to a consumer, which
        validates and enriches it (`bench/link/work.mjs`, the same code on both sides) and records
        the end-to-end latency from the time stamped at the producer. The first %d messages warm
        up; the next %d are measured.

        - **Erlmachine:** two machines in local mode (`bench/link/manifests/link.yaml`): a timer
          drives a JavaScript gear that emits 200 messages per tick into a Pipeline transmission;
          the consumer machine's gear does the work. Messages cross between the two engine
          processes over HTTP in batches of up to 64 per request.
        - **Node.js + NATS:** two Node.js processes connected through a local `nats-server`
          (publisher, and a queue-group subscriber).

        | | messages per second | p50 | p99 end to end |
        |---|---|---|---|
        | Erlmachine (local mode, HTTP between engines) | %.0f | %d ms | %d ms |
        | Node.js + NATS | %.0f | %d ms | %d ms |
        | **Erlmachine / Node.js + NATS** | **%.2f** (target: at least 1) | | |

        Where the difference comes from: both sides run the same JavaScript, and GraalJS is slower
        than V8 on it (see [engine.md](engine.md)); each engine also parses and writes every message
        as JSON at the boundary of its sandboxed gear contexts, and acknowledges every batch, where
        NATS fires and forgets. The engine's end-to-end latency stays low because a full queue holds
        the producer back instead of letting messages pile up.
        """, r.get("finishedAt").asText(), r.get("cores").asInt(), r.get("warmupMessages").asInt(), r.get("messages").asInt(),
        engine.get("messagesPerSecond").asDouble(), engine.get("p50Millis").asInt(), engine.get("p99Millis").asInt(),
        node.get("messagesPerSecond").asDouble(), node.get("p50Millis").asInt(), node.get("p99Millis").asInt(),
        r.get("throughputRatioEngineToNodeNats").asDouble());
  }
}
