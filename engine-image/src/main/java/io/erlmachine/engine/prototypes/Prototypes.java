package io.erlmachine.engine.prototypes;

import io.erlmachine.api.config.MachineConfig.GearConfig;
import io.erlmachine.engine.js.GearboxContext;
import io.erlmachine.engine.js.JsGear;
import io.erlmachine.engine.js.JsPlatform;
import io.erlmachine.engine.js.RetainedHeapLimit;
import io.erlmachine.engine.logs.MachineLog;
import io.erlmachine.engine.runtime.GearDefinition;
import io.erlmachine.engine.runtime.GearFactory;
import io.erlmachine.engine.runtime.GearId;
import java.lang.System.Logger.Level;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;

/** Turns a gear's config into a definition the runtime can run, for every built-in prototype. */
public final class Prototypes {
  public static final Set<String> NAMES = Set.of("js", "endpoint", "forwarder", "streamer", "router", "filter", "timer", "log", "counter");
  /** Prototypes whose behavior is the gear's JavaScript source. */
  public static final Set<String> SCRIPTED = Set.of("js", "router", "filter");
  /** Prototypes that absorb messages and so cannot have outgoing shafts. */
  public static final Set<String> SINKS = Set.of("counter");
  public static final Set<String> LOG_LEVELS = Set.of("debug", "info", "warn", "error");

  private final JsPlatform platform;
  private final MachineLog log;

  /** Prototypes for one machine, whose gears write to {@code log}. */
  public Prototypes(JsPlatform platform, MachineLog log) {
    this.platform = platform;
    this.log = log;
  }

  /** A JavaScript context for the gears of one gearbox, with its tools and statement budget, within its machine's retained-heap limit. */
  public GearboxContext newContext(Map<String, String> tools, long statementLimit, RetainedHeapLimit retainedHeap) {
    return new GearboxContext(platform, tools, statementLimit, retainedHeap);
  }

  /** A definition whose JavaScript gears (if it is one) are module instances in {@code context}, their gearbox's. */
  public GearDefinition define(GearId id, GearConfig gear, int mailboxCapacity, JsGear.Settings settings, GearboxContext context) {
    Map<String, String> params = gear.params() == null ? Map.of() : gear.params();
    long interval = gear.intervalMillis() == null ? 0 : gear.intervalMillis();
    GearFactory factory = switch (gear.prototype()) {
      case "js" -> () -> JsGear.receiver(context, id, gear.source(), settings, log);
      case "router" -> () -> JsGear.router(context, id, gear.source(), settings, log);
      case "filter" -> () -> JsGear.filter(context, id, gear.source(), settings, log);
      case "endpoint", "forwarder" -> PassThrough::new;
      case "streamer" -> Streamer::new;
      case "counter" -> Counter::new;
      case "log" -> () -> new LogGear(id, log, logLevel(params.getOrDefault("level", "info")));
      case "timer" -> () -> new Timer(interval, params.get("body"));
      default -> throw new IllegalArgumentException("unknown prototype " + gear.prototype());
    };
    int capacity = Objects.requireNonNullElse(gear.mailboxCapacity(), mailboxCapacity);
    String fingerprint = gear.prototype() + "\u0000" + gear.source() + "\u0000" + new TreeMap<>(params) + "\u0000" + interval
        + (SCRIPTED.contains(gear.prototype()) ? "\u0000" + settings : "");
    return new GearDefinition(gear.name(), gear.prototype(), capacity, interval, fingerprint, factory);
  }

  private static Level logLevel(String level) {
    return switch (level) {
      case "debug" -> Level.DEBUG;
      case "warn" -> Level.WARNING;
      case "error" -> Level.ERROR;
      default -> Level.INFO;
    };
  }
}
