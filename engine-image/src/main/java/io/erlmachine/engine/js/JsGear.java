package io.erlmachine.engine.js;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.erlmachine.engine.runtime.Emitter;
import io.erlmachine.engine.runtime.GearBehavior;
import io.erlmachine.engine.runtime.GearFailure;
import io.erlmachine.engine.runtime.GearId;
import io.erlmachine.engine.runtime.Message;
import java.util.List;
import java.util.Map;

/**
 * A gear whose behavior is a JavaScript module: {@code js} gears export receive(message, gear),
 * {@code router} gears export route(message) naming outputs, {@code filter} gears export
 * accept(message).
 */
public final class JsGear implements GearBehavior {
  private static final ObjectMapper JSON = new ObjectMapper();

  /** What the engine tells every script it starts. */
  public record Settings(String machine, Map<String, String> applicationData, Map<String, String> tools, long statementLimit,
                         int logLinesPerSecond, List<String> outboundHosts, long maxMessageBytes, long timeoutMillis) {
  }

  private final GearScript.Mode mode;
  private final GearHost host;
  private final GearScript script;

  private JsGear(JsPlatform platform, GearId id, String code, GearScript.Mode mode, Settings settings) {
    this.mode = mode;
    this.host = new GearHost(id, settings.machine(), settings.applicationData(), new GearLog(id, settings.logLinesPerSecond()),
        new OutboundHttp(settings.outboundHosts(), settings.maxMessageBytes(), java.time.Duration.ofMillis(settings.timeoutMillis())));
    this.script = new GearScript(platform, id.gear() + ".mjs", code, settings.tools(), mode, host, settings.statementLimit());
  }

  public static JsGear receiver(JsPlatform platform, GearId id, String code, Settings settings) {
    return new JsGear(platform, id, code, GearScript.Mode.RECEIVE, settings);
  }

  public static JsGear router(JsPlatform platform, GearId id, String code, Settings settings) {
    return new JsGear(platform, id, code, GearScript.Mode.ROUTE, settings);
  }

  public static JsGear filter(JsPlatform platform, GearId id, String code, Settings settings) {
    return new JsGear(platform, id, code, GearScript.Mode.ACCEPT, settings);
  }

  @Override
  public void receive(Message message, Emitter emitter) {
    host.handling(message, emitter);
    try {
      String result = script.handle(message.body(), headersJson(message.headers()), message.tracking());
      switch (mode) {
        case RECEIVE -> { }
        case ACCEPT -> {
          if ("true".equals(result)) {
            emitter.toAll(message);
          }
        }
        case ROUTE -> routeTo(outputNames(result), message, emitter);
      }
    } finally {
      host.handling(null, null);
    }
  }

  @Override
  public String snapshot() {
    return script.snapshot();
  }

  @Override
  public void cancel() {
    script.cancel();
  }

  @Override
  public void close() {
    script.close();
  }

  private static void routeTo(List<String> outputs, Message message, Emitter emitter) {
    for (String output : outputs) {
      if (!emitter.outputs().contains(output)) {
        throw new GearFailure("route returned '" + output + "', which is not an output of this gear; its outputs are " + emitter.outputs());
      }
      emitter.to(output, message);
    }
  }

  private static List<String> outputNames(String json) {
    try {
      return JSON.readValue(json, new TypeReference<List<String>>() { });
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("route result is not a list of names", e);
    }
  }

  private static String headersJson(Map<String, String> headers) {
    if (headers.isEmpty()) {
      return "{}";
    }
    try {
      return JSON.writeValueAsString(headers);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("headers are strings and always serialize", e);
    }
  }
}
