package io.erlmachine.bench.engine;

import com.fasterxml.jackson.databind.JsonNode;

/** docs/benchmarks/engine.md from one run of {@link EngineBench}. */
final class EngineReport {
  private EngineReport() {
  }

  static String markdown(JsonNode r, int messages) {
    JsonNode engine = r.get("engine");
    JsonNode node = r.get("node");
    JsonNode context = r.get("contextCost");
    JsonNode startup = r.get("startup");
    StringBuilder hops = new StringBuilder();
    for (int i = 0; i < 3; i++) {
      JsonNode e = engine.get("hopMicros").get(i);
      JsonNode n = node.get("hopMicros").get(i);
      hops.append(String.format("| %s | %.1f / %.1f µs | %.1f / %.1f µs |%n", e.get("gear").asText(),
          e.get("p50").asDouble(), e.get("p99").asDouble(), n.get("p50").asDouble(), n.get("p99").asDouble()));
    }
    return String.format("""
        # Engine benchmark

        Produced by `bench/engine.sh %d` (%s) on %d cores; raw numbers in [engine.json](engine.json).

        ## A pipeline of three JavaScript gears, beside Node.js

        Three JSON-transforming functions (`bench/engine/functions.mjs`: validate, enrich, summarize)
        run as three `js` gears of one gearbox, fed as fast as the first gear takes messages, after
        as many warm-up messages. Node.js (%s) runs the same three functions in one process on the
        same messages: parse the JSON text, apply the three functions, write JSON text.

        | | messages per second |
        |---|---|
        | engine (3 gears, %d cores) | %.0f |
        | Node.js (one process) | %.0f |
        | **engine / Node.js** | **%.2f** (target: at least 1) |

        Latency per hop, p50 / p99 (a hop is: parse the JSON text, run the function, write JSON text;
        for Node.js the same three steps, timed per function):

        | gear | engine | Node.js |
        |---|---|---|
        %s
        Why the engine is behind: each gear is an isolated context, so a message is parsed and
        written once per gear (three times here), where the single Node.js process parses and writes
        it once for all three functions; and per hop, GraalJS (Community Edition, JIT through JVMCI)
        is slower than V8 on this JSON-heavy code (compare the p50 columns). The engine spreads the
        gears over both cores, which does not make up for both on two cores. Closing the gap needs
        either cheaper hand-over between contexts than JSON text or more cores per machine.

        ## Context cost with 1,000 gears

        | measure | value | target |
        |---|---|---|
        | time to load one gear (context, module, self-checks) | %.2f ms | ≤ 1 ms |
        | heap retained per loaded gear | %.0f KiB | ≤ 100 KiB |

        1,000 gears with the same module share its parsed and compiled code (one polyglot engine per
        process). Most of the load time is creating a GraalJS context, which on this machine takes
        about 2.5 ms even for an empty one.

        ## Start-up to ready

        | | seconds |
        |---|---|
        | with the optimizing compiler (`engine.jvmargs`) | %.1f |
        | without it | %.1f |

        Ready means the readiness probe answers 200: Quarkus started, the machine config (the
        pipeline above) loaded and compiled. Loading the Graal compiler costs start-up time and pays
        back in throughput: without it JavaScript runs interpreted, about 30 times slower.
        """, messages, r.get("finishedAt").asText(), r.get("cores").asInt(), node.get("node").asText(), r.get("cores").asInt(),
        engine.get("messagesPerSecond").asDouble(), node.get("messagesPerSecond").asDouble(),
        r.get("throughputRatioEngineToNode").asDouble(), hops.toString(),
        context.get("loadMillisPerGear").asDouble(), context.get("retainedKiBPerGear").asDouble(),
        startup.get("withCompilerSeconds").asDouble(), startup.get("withoutCompilerSeconds").asDouble());
  }
}
