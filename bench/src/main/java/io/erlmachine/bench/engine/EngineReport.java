package io.erlmachine.bench.engine;

import com.fasterxml.jackson.databind.JsonNode;

/** docs/benchmarks/engine.md from one run of {@link EngineBench}. */
final class EngineReport {
  private EngineReport() {
  }

  static String markdown(JsonNode r, int messages) {
    JsonNode engine = r.get("engine");
    JsonNode node = r.get("node");
    JsonNode single = r.get("singleContext");
    JsonNode context = r.get("contextCost");
    JsonNode startup = r.get("startup");
    StringBuilder hops = new StringBuilder();
    for (int i = 0; i < 3; i++) {
      JsonNode e = engine.get("hopMicros").get(i);
      JsonNode n = node.get("hopMicros").get(i);
      hops.append(String.format("| %s | %.1f / %.1f µs | %.1f / %.1f µs |%n", e.get("gear").asText(),
          e.get("p50").asDouble(), e.get("p99").asDouble(), n.get("p50").asDouble(), n.get("p99").asDouble()));
    }
    double plain = single.get("plainMessagesPerSecond").asDouble();
    double copied = single.get("copiedMessagesPerSecond").asDouble();
    double hardened = single.get("hardenedMessagesPerSecond").asDouble();
    double jsonText = single.path("jsonTextMessagesPerSecond").asDouble();
    double unfrozen = single.path("unfrozenCopyMessagesPerSecond").asDouble();
    return String.format("""
        # Engine benchmark

        Produced by `bench/engine.sh %d` (%s) on %d cores, load average %.1f at the start and %.1f at
        the end (figures from a busy computer are lower, and noisier, than from an idle one; compare
        the rows of one run with each other); raw numbers in [engine.json](engine.json).

        ## A pipeline of three JavaScript gears, beside one bare context and Node.js

        Three JSON-transforming functions (`bench/engine/functions.mjs`: validate, enrich, summarize)
        run as three `js` gears of one gearbox (endpoint-less: the first gear takes the JSON text,
        a `counter` gear at the end counts what comes out), fed as fast as the first gear takes
        messages, after as many warm-up messages. Everything a user gets is on: the journal records
        every hop, the watchdog watches every message (time and allocation), a latency histogram
        per gear, the statement limit, and messages between gears are protected from their sender.
        Beside it, in the same run: (a) the same three functions in ONE GraalJS context called once
        per message from Java, `JSON.stringify(summarize(enrich(validate(JSON.parse(text)))))`, no
        engine around it (the runtime's limit here); (b) Node.js (%s) doing the same in one loop.

        | | messages per second |
        |---|---|
        | engine (3 gears of one gearbox) | %.0f |
        | (a) one bare GraalJS context, one call per message | %.0f |
        | (b) Node.js (one process) | %.0f |
        | **engine / (a)** | **%.2f** (target: at least 0.8) |
        | engine / Node.js | %.2f |

        Latency per hop, p50 / p99 (engine: one gear handling one message; Node.js: parse, run the
        function, write JSON text, timed per function):

        | gear | engine | Node.js |
        |---|---|---|
        %s
        The gears of a gearbox share one context and run one after another on the gearbox's lane,
        so a message is parsed once when it enters and written once when the counter counts its
        bytes, as in (a); between the gears it travels as a JavaScript value. What the engine adds
        per hop is the actor plumbing (mailbox, journal entry, watchdog start and stop, histogram)
        and the protection of the message from its sender.

        ### Protecting a message between gears: frozen copy, JSON text or deep freeze

        Measured in context (a), with the protection applied to the input and after each of the
        three functions (each variant in five rounds in turn, the best round kept):

        | | messages per second | cost per message |
        |---|---|---|
        | no protection | %.0f | |
        | frozen copy (what the engine does) | %.0f | %.2f µs |
        | the same copy, not frozen (enough for a single receiver that cannot reach the sender) | %.0f | %.2f µs |
        | JSON text inside the context (`JSON.parse(JSON.stringify(value))`, not frozen) | %.0f | %.2f µs |
        | deep freeze in place (SES `harden`: every own property and prototype, a WeakSet of done objects) | %.0f | %.2f µs |

        The engine makes a frozen copy with JSON's meaning when a gear emits: fresh objects the
        sender holds no reference to, frozen so that one copy serves every receiver. A deep freeze
        in place has to read every property descriptor and remember what it froze (messages share
        sub-objects, like the spread in `enrich`), and it would freeze the sender's own objects under
        it; a getter in a frozen object could still return something new each time. The copy is
        also what JSON text would carry, so a message means the same inside the gearbox and after it
        leaves.

        ## What a gearbox's context costs (1,000 of them)

        Each of %d gearboxes is the density benchmark's machine (endpoint → js → counter) and so
        one GraalJS context: created on the shared engine, hardened (every object reachable from
        `globalThis` and the hidden intrinsics frozen), its js gear instantiated, one message handled.

        | measure | value |
        |---|---|
        | create + harden + instantiate the gear + first message, per gearbox (warm) | %.2f ms |
        | for comparison: an empty context on an engine of its own (create + one statement) | %.2f ms |
        | heap retained per gearbox after its message | %.0f KiB |

        ## Start-up to ready

        | | seconds |
        |---|---|
        | with the optimizing compiler (`engine.jvmargs`) | %.1f |
        | without it | %.1f |

        Ready means the readiness probe answers 200: Quarkus started, the machine config (the
        pipeline above) loaded and compiled. Loading the Graal compiler costs start-up time and pays
        back in throughput: without it JavaScript runs interpreted, about 30 times slower.
        """, messages, r.get("finishedAt").asText(), r.get("cores").asInt(), r.path("loadAverageAtStart").asDouble(),
        r.path("loadAverageAtEnd").asDouble(), node.get("node").asText(),
        engine.get("messagesPerSecond").asDouble(), plain, node.get("messagesPerSecond").asDouble(),
        r.get("throughputRatioEngineToSingleContext").asDouble(), r.get("throughputRatioEngineToNode").asDouble(), hops.toString(),
        plain, copied, 1e6 / copied - 1e6 / plain, unfrozen, 1e6 / unfrozen - 1e6 / plain, jsonText, 1e6 / jsonText - 1e6 / plain, hardened, 1e6 / hardened - 1e6 / plain,
        context.get("gearboxes").asInt(), context.get("createHardenAndFirstMessageMillisPerGearbox").asDouble(),
        context.get("emptyContextMillis").asDouble(), context.get("retainedKiBPerGearbox").asDouble(),
        startup.path("withCompilerSeconds").asDouble(), startup.path("withoutCompilerSeconds").asDouble());
  }
}
