package io.erlmachine.engine.js;

import io.erlmachine.engine.logs.MachineLog;
import io.erlmachine.engine.runtime.Emitter;
import io.erlmachine.engine.runtime.GearBehavior;
import io.erlmachine.engine.runtime.GearFailure;
import io.erlmachine.engine.runtime.GearId;
import io.erlmachine.engine.runtime.Message;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.graalvm.polyglot.Value;

/**
 * A gear whose behavior is a JavaScript module instance in its gearbox's context: {@code js}
 * gears export receive(message, gear), {@code router} gears export route(message) naming
 * outputs, {@code filter} gears export accept(message). A message from a gear of the same
 * gearbox arrives as the value that gear emitted; other messages arrive as JSON text.
 */
public final class JsGear implements GearBehavior {

  /** What the engine tells every script it starts. */
  public record Settings(String machine, Map<String, String> applicationData, Map<String, String> tools, long statementLimit,
                         int logLinesPerSecond, List<String> outboundHosts, long maxMessageBytes, long timeoutMillis) {
  }

  private final GearScript.Mode mode;
  private final GearHost host;
  private final GearboxContext context;
  private final String fileName;
  private final String code;
  private GearScript script;

  private JsGear(GearboxContext context, GearId id, String code, GearScript.Mode mode, Settings settings, MachineLog log) {
    this.mode = mode;
    this.context = context;
    this.code = code;
    this.fileName = id.gear() + ".mjs";
    this.host = new GearHost(id, settings.machine(), settings.applicationData(), new GearLog(id, settings.logLinesPerSecond(), log),
        new OutboundHttp(settings.outboundHosts(), settings.maxMessageBytes(), Duration.ofMillis(settings.timeoutMillis())));
    host.livesIn(context);
    if (context.built() || !context.instantiatedBefore(code, mode)) {
      this.script = context.instantiate(fileName, code, mode, host);
    }
  }

  public static JsGear receiver(GearboxContext context, GearId id, String code, Settings settings, MachineLog log) {
    return new JsGear(context, id, code, GearScript.Mode.RECEIVE, settings, log);
  }

  public static JsGear router(GearboxContext context, GearId id, String code, Settings settings, MachineLog log) {
    return new JsGear(context, id, code, GearScript.Mode.ROUTE, settings, log);
  }

  public static JsGear filter(GearboxContext context, GearId id, String code, Settings settings, MachineLog log) {
    return new JsGear(context, id, code, GearScript.Mode.ACCEPT, settings, log);
  }

  @Override
  public void receive(Message message, Emitter emitter) {
    instantiated();
    host.handling(message, emitter);
    try {
      Value value = message.live() instanceof ValueBody body ? body.valueFor(context) : null;
      Value result = value != null
          ? script.handle(value, false, headersJson(message.headers()), message.tracking())
          : script.handle(message.body(), true, headersJson(message.headers()), message.tracking());
      switch (mode) {
        case RECEIVE -> { }
        case ACCEPT -> {
          if (result.asBoolean()) {
            emitter.toAll(message);
          }
        }
        case ROUTE -> routeTo(outputNames(result), message, emitter);
      }
    } finally {
      host.handling(null, null);
    }
  }

  /** Keeps the gearbox's context within its machine's retained-heap limit (checked now and then, see RetainedHeapCheck). */
  @Override
  public void afterMessage() {
    context.afterMessage();
  }

  @Override
  public String snapshot() {
    if (script == null) {
      instantiated();
    }
    return script.stale() ? "null" : script.snapshot();
  }

  /**
   * Instantiates the gear's module now if it has not been: a gear created while its gearbox's
   * context is not built yet, with code that instantiated without error before, waits for this
   * (so that a machine whose gearboxes run only such code is ready without building a context).
   * The engine calls it when the gear takes its first message, before the message's time and
   * allocation budgets start, so that building the context is not charged to the message.
   */
  public void instantiate() {
    instantiated();
  }

  /** The gear's module instance; a new one if the gear has none yet or its context was reset under it. */
  private GearScript instantiated() {
    if (script == null || script.stale()) {
      if (script != null) {
        context.released();
      }
      script = null;
      script = context.instantiate(fileName, code, mode, host);
    }
    return script;
  }

  /** Interrupts the running message; the context and the other gears' state stay. */
  @Override
  public void cancel() {
    context.interrupt();
  }

  /** Forgets this gear's module instance; the gearbox's context stays for the other gears. */
  @Override
  public void close() {
    if (script != null) {
      script = null;
      context.released();
    }
  }

  private static void routeTo(List<String> outputs, Message message, Emitter emitter) {
    for (String output : outputs) {
      if (!emitter.outputs().contains(output)) {
        throw new GearFailure("route returned '" + output + "', which is not an output of this gear; its outputs are " + emitter.outputs());
      }
      emitter.to(output, message);
    }
  }

  private static List<String> outputNames(Value names) {
    List<String> outputs = new ArrayList<>((int) names.getArraySize());
    for (long i = 0; i < names.getArraySize(); i++) {
      outputs.add(names.getArrayElement(i).asString());
    }
    return outputs;
  }

  private static String headersJson(Map<String, String> headers) {
    if (headers.isEmpty()) {
      return null;
    }
    try {
      return JSON.writeValueAsString(headers);
    } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
      throw new IllegalStateException("headers are strings and always serialize", e);
    }
  }

  private static final com.fasterxml.jackson.databind.ObjectMapper JSON = new com.fasterxml.jackson.databind.ObjectMapper();
}
