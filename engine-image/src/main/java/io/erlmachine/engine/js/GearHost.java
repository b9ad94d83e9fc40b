package io.erlmachine.engine.js;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.erlmachine.engine.runtime.Emitter;
import io.erlmachine.engine.runtime.GearFailure;
import io.erlmachine.engine.runtime.GearId;
import io.erlmachine.engine.runtime.Message;
import java.util.Map;
import java.util.Set;
import org.graalvm.polyglot.Value;
import org.graalvm.polyglot.proxy.ProxyExecutable;
import org.graalvm.polyglot.proxy.ProxyObject;

/**
 * The only door from a gear's JavaScript to the engine: emit, log, HTTP and read-only application
 * data. Only strings and the gear's own frozen message values cross, so no host object ever
 * reaches the script.
 */
final class GearHost implements ProxyObject {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Set<String> MEMBERS = Set.of("name", "gearbox", "machine", "emit", "log", "data", "http");

  private final GearId id;
  private final String machine;
  private final Map<String, String> applicationData;
  private final GearLog log;
  private final ProxyExecutable emit = this::emit;
  private final ProxyExecutable logFunction = this::log;
  private final ProxyExecutable data = this::data;
  private final ProxyExecutable http = this::http;
  private final OutboundHttp outbound;
  private Emitter emitter;
  private Message current;
  private GearboxContext context;

  GearHost(GearId id, String machine, Map<String, String> applicationData, GearLog log, OutboundHttp outbound) {
    this.outbound = outbound;
    this.id = id;
    this.machine = machine;
    this.applicationData = applicationData;
    this.log = log;
  }

  /** The context whose values this gear emits. */
  void livesIn(GearboxContext gearboxContext) {
    this.context = gearboxContext;
  }

  /** Binds emit() to the message being handled. */
  void handling(Message message, Emitter target) {
    this.current = message;
    this.emitter = target;
  }

  @Override
  public Object getMember(String key) {
    return switch (key) {
      case "name" -> id.gear();
      case "gearbox" -> id.gearbox();
      case "machine" -> machine;
      case "emit" -> emit;
      case "log" -> logFunction;
      case "data" -> data;
      case "http" -> http;
      default -> null;
    };
  }

  @Override
  public Object getMemberKeys() {
    return MEMBERS.toArray(String[]::new);
  }

  @Override
  public boolean hasMember(String key) {
    return MEMBERS.contains(key);
  }

  @Override
  public void putMember(String key, Value value) {
    throw new UnsupportedOperationException("the gear host is read-only");
  }

  private Object emit(Value... arguments) {
    if (emitter == null) {
      throw new GearFailure("gear.emit can only be called while handling a message");
    }
    Map<String, String> headers = current.headers();
    if (arguments.length > 1 && !arguments[1].isNull()) {
      headers = parseHeaders(arguments[1].asString());
    }
    emitter.toAll(Message.live(current.tracking(), new ValueBody(arguments[0], context), headers));
    return null;
  }

  private Object log(Value... arguments) {
    log.write(arguments[0].asString(), arguments[1].asString());
    return null;
  }

  private Object http(Value... arguments) {
    return outbound.call(arguments[0].asString(), arguments[1].asString(), arguments[2].asString(),
        arguments[3].isNull() ? null : arguments[3].asString());
  }

  private Object data(Value... arguments) {
    return applicationData.get(arguments[0].asString());
  }

  private static Map<String, String> parseHeaders(String json) {
    try {
      return JSON.readValue(json, new TypeReference<Map<String, String>>() { });
    } catch (JsonProcessingException e) {
      throw new GearFailure("headers must be an object of strings, for example {\"priority\": \"high\"}");
    }
  }
}
