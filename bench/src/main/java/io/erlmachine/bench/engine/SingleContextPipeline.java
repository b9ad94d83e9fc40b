package io.erlmachine.bench.engine;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import org.graalvm.polyglot.Context;
import org.graalvm.polyglot.Engine;
import org.graalvm.polyglot.HostAccess;
import org.graalvm.polyglot.Source;
import org.graalvm.polyglot.Value;

/**
 * The runtime's limit for the pipeline: the three functions in ONE GraalJS context, called once
 * per message from Java ({@code JSON.stringify(summarize(enrich(validate(JSON.parse(text)))))}),
 * no engine around it. Also what protecting the message between the functions costs there:
 * a frozen copy after each function (what the engine does) against a deep freeze in place.
 */
final class SingleContextPipeline {
  private static final ObjectMapper JSON = new ObjectMapper();
  /** The two ways to protect a message from its sender; frozenCopy is the engine's (gearbox-prelude.js). */
  private static final String PROTECTION = """
      const { freeze, isFrozen, keys, getOwnPropertyDescriptor, getPrototypeOf } = Object;
      const frozenCopy = (v, depth) => {
        if (v === null) return null;
        switch (typeof v) {
          case 'string': case 'boolean': return v;
          case 'number': return Number.isFinite(v) ? v : null;
          case 'object': break;
          default: return undefined;
        }
        if (depth > 256) throw new TypeError('too deep');
        if (typeof v.toJSON === 'function') return frozenCopy(v.toJSON(), depth + 1);
        if (Array.isArray(v)) {
          const out = new Array(v.length);
          for (let i = 0; i < v.length; i++) { const e = frozenCopy(v[i], depth + 1); out[i] = e === undefined ? null : e; }
          return freeze(out);
        }
        const out = {};
        for (const key of keys(v)) { const e = frozenCopy(v[key], depth + 1); if (e !== undefined) out[key] = e; }
        return freeze(out);
      };
      // The same copy without freezing: what a copy for one receiver would cost.
      const plainCopy = (v, depth) => {
        if (v === null || typeof v !== 'object') return v;
        if (Array.isArray(v)) {
          const out = new Array(v.length);
          for (let i = 0; i < v.length; i++) out[i] = plainCopy(v[i], depth + 1);
          return out;
        }
        const out = {};
        for (const key of keys(v)) out[key] = plainCopy(v[key], depth + 1);
        return out;
      };
      // Deep freeze in place, as SES harden(): every reachable own property and prototype, once.
      const done = new WeakSet();
      const harden = (root) => {
        const stack = [root];
        while (stack.length > 0) {
          const o = stack.pop();
          if (o === null || (typeof o !== 'object' && typeof o !== 'function') || done.has(o)) continue;
          freeze(o);
          done.add(o);
          stack.push(getPrototypeOf(o));
          for (const key of Reflect.ownKeys(o)) {
            const d = getOwnPropertyDescriptor(o, key);
            if ('value' in d) stack.push(d.value); else stack.push(d.get, d.set);
          }
        }
        return root;
      };
      done.add(Object.prototype); done.add(Array.prototype);
      """;

  private static final int ROUNDS = 5;

  private SingleContextPipeline() {
  }

  static JsonNode run(Path benchDir, String[] inputs, int messages) throws IOException {
    String functions = Files.readString(benchDir.resolve("functions.mjs")).replace("export function", "function");
    try (Engine engine = Engine.newBuilder("js").option("engine.WarnInterpreterOnly", "false")
        .out(OutputStream.nullOutputStream()).err(OutputStream.nullOutputStream()).build();
         Context context = Context.newBuilder("js").engine(engine).allowHostAccess(HostAccess.NONE).build()) {
      context.eval(Source.create("js", functions + PROTECTION + """
          globalThis.plain = (text) => JSON.stringify(summarize(enrich(validate(JSON.parse(text)))));
          globalThis.copied = (text) => JSON.stringify(frozenCopy(summarize(frozenCopy(enrich(frozenCopy(validate(
              frozenCopy(JSON.parse(text), 0)), 0)), 0)), 0));
          globalThis.jsonText = (text) => JSON.stringify(summarize(JSON.parse(JSON.stringify(enrich(JSON.parse(JSON.stringify(validate(
              JSON.parse(text)))))))));
          globalThis.unfrozenCopy = (text) => JSON.stringify(plainCopy(summarize(plainCopy(enrich(plainCopy(validate(
              JSON.parse(text), 0), 0)), 0)), 0));
          globalThis.hardened = (text) => JSON.stringify(harden(summarize(harden(enrich(harden(validate(harden(JSON.parse(text)))))))));
          """));
      String[] variants = {"plain", "copied", "jsonText", "unfrozenCopy", "hardened"};
      for (String variant : variants) {
        loop(context.getBindings("js").getMember(variant), inputs, messages);
      }
      // Rounds in turn, the best of each kept: a busy computer slows whichever variant runs
      // while something else takes the cores, and this takes that out of the comparison.
      ObjectNode result = JSON.createObjectNode();
      for (int round = 0; round < ROUNDS; round++) {
        for (String variant : variants) {
          Value function = context.getBindings("js").getMember(variant);
          long start = System.nanoTime();
          loop(function, inputs, messages / ROUNDS);
          double rate = messages / ROUNDS / ((System.nanoTime() - start) / 1e9);
          result.put(variant + "MessagesPerSecond", Math.max(rate, result.path(variant + "MessagesPerSecond").asDouble()));
        }
      }
      return result;
    }
  }

  private static long loop(Value function, String[] inputs, int messages) {
    long length = 0;
    for (int i = 0; i < messages; i++) {
      length += function.execute(inputs[i % inputs.length]).asString().length();
    }
    return length;
  }
}
