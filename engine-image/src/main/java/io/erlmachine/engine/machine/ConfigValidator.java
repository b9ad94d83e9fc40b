package io.erlmachine.engine.machine;

import io.erlmachine.api.config.MachineConfig;
import io.erlmachine.api.config.RouteCheck;
import io.erlmachine.api.config.MachineConfig.GearConfig;
import io.erlmachine.api.config.MachineConfig.GearboxConfig;
import io.erlmachine.api.config.MachineConfig.RouteConfig;
import io.erlmachine.api.config.MachineConfig.ShaftConfig;
import io.erlmachine.api.v1alpha1.spec.SelfTest;
import io.erlmachine.engine.prototypes.Prototypes;
import io.erlmachine.engine.runtime.JsonText;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Checks what the engine needs of a machine config before running any of it: known
 * prototypes, gears with what their prototype needs, shafts and self-tests that name existing
 * gears, and limits that make sense. JavaScript syntax is checked separately, by compiling.
 */
final class ConfigValidator {

  List<String> problems(MachineConfig config) {
    List<String> problems = new ArrayList<>();
    if (config.machine() == null || config.machine().name() == null) {
      problems.add("machine: the config names no machine");
    }
    if (config.limits() == null) {
      problems.add("limits: missing");
    } else {
      checkLimits(config.limits(), problems);
    }
    Map<String, Set<String>> gearsByGearbox = new HashMap<>();
    int gears = 0;
    for (GearboxConfig gearbox : nullToEmpty(config.gearboxes())) {
      String where = "gearbox " + gearbox.name();
      if (gearsByGearbox.containsKey(gearbox.name())) {
        problems.add(where + ": declared twice");
        continue;
      }
      Set<String> names = checkGears(where, gearbox, problems);
      gearsByGearbox.put(gearbox.name(), names);
      gears += names.size();
      checkShafts(where, gearbox, problems);
      checkSelfTests(where, names, gearbox.selfTests(), problems);
    }
    if (config.limits() != null && gears > config.limits().maxGears()) {
      problems.add("the machine runs " + gears + " gears; its limit is maxGears=" + config.limits().maxGears());
    }
    Set<String> transmissions = new HashSet<>();
    for (RouteConfig route : nullToEmpty(config.routes())) {
      String at = "route " + route.transmission();
      if (!transmissions.add(route.transmission())) {
        problems.add(at + ": declared twice");
      }
      RouteCheck.problems(route, gearsByGearbox).forEach(problem -> problems.add(at + ": " + problem));
      if (!java.util.List.of("PubSub", "Pipeline", "RequestReply").contains(route.pattern())) {
        problems.add(at + ": unknown pattern " + route.pattern() + "; use PubSub, Pipeline or RequestReply");
      }
      if (route.delivery() == null) {
        problems.add(at + ": no delivery policy");
      }
    }
    return problems;
  }

  private static void checkLimits(MachineConfig.Limits limits, List<String> problems) {
    if (limits.mailboxCapacity() < 1) {
      problems.add("limits.mailboxCapacity must be at least 1");
    }
    if (limits.maxMessageBytes() < 1) {
      problems.add("limits.maxMessageBytes must be at least 1");
    }
    if (limits.messageTimeoutMillis() < 1) {
      problems.add("limits.messageTimeoutMillis must be at least 1");
    }
    if (limits.statementLimit() < 1) {
      problems.add("limits.statementLimit must be at least 1");
    }
  }

  private static Set<String> checkGears(String where, GearboxConfig gearbox, List<String> problems) {
    Set<String> names = new HashSet<>();
    for (GearConfig gear : nullToEmpty(gearbox.gears())) {
      String at = where + ", gear " + gear.name();
      if (!names.add(gear.name())) {
        problems.add(at + ": declared twice");
      }
      if (!Prototypes.NAMES.contains(gear.prototype())) {
        problems.add(at + ": unknown prototype '" + gear.prototype() + "'; known prototypes are " + new java.util.TreeSet<>(Prototypes.NAMES));
        continue;
      }
      boolean scripted = Prototypes.SCRIPTED.contains(gear.prototype());
      if (scripted && (gear.source() == null || gear.source().isBlank())) {
        problems.add(at + ": a " + gear.prototype() + " gear needs JavaScript source");
      }
      if (!scripted && gear.source() != null) {
        problems.add(at + ": a " + gear.prototype() + " gear takes no source");
      }
      if ("timer".equals(gear.prototype()) && (gear.intervalMillis() == null || gear.intervalMillis() < 1)) {
        problems.add(at + ": a timer gear needs an interval of at least 1ms");
      }
      if (!"timer".equals(gear.prototype()) && gear.intervalMillis() != null) {
        problems.add(at + ": only timer gears take an interval");
      }
      String body = gear.params() == null ? null : gear.params().get("body");
      if ("timer".equals(gear.prototype()) && body != null && JsonText.problem(body) != null) {
        problems.add(at + ": params.body must be JSON text, such as {\"kind\": \"tick\"}");
      }
      String level = gear.params() == null ? null : gear.params().get("level");
      if ("log".equals(gear.prototype()) && level != null && !Prototypes.LOG_LEVELS.contains(level)) {
        problems.add(at + ": unknown log level '" + level + "'; use one of " + new java.util.TreeSet<>(Prototypes.LOG_LEVELS));
      }
      if (gear.mailboxCapacity() != null && gear.mailboxCapacity() < 1) {
        problems.add(at + ": mailboxCapacity must be at least 1");
      }
    }
    return names;
  }

  private static void checkShafts(String where, GearboxConfig gearbox, List<String> problems) {
    Map<String, String> prototypes = new HashMap<>();
    nullToEmpty(gearbox.gears()).forEach(g -> prototypes.put(g.name(), g.prototype()));
    Set<String> seen = new HashSet<>();
    for (ShaftConfig shaft : nullToEmpty(gearbox.shafts())) {
      String at = where + ", shaft " + shaft.from() + " -> " + shaft.to();
      if (!prototypes.containsKey(shaft.from())) {
        problems.add(at + ": no gear named " + shaft.from());
      }
      if (!prototypes.containsKey(shaft.to())) {
        problems.add(at + ": no gear named " + shaft.to());
      }
      if (Prototypes.SINKS.contains(prototypes.get(shaft.from()))) {
        problems.add(at + ": " + shaft.from() + " is a " + prototypes.get(shaft.from()) + " (a sink) and has no output");
      }
      if ("timer".equals(prototypes.get(shaft.to()))) {
        problems.add(at + ": " + shaft.to() + " is a timer, which makes its own messages and takes none");
      }
      if (!seen.add(shaft.from() + "\u0000" + shaft.to())) {
        problems.add(at + ": declared twice");
      }
    }
  }

  private static void checkSelfTests(String where, Set<String> gears, List<SelfTest> tests, List<String> problems) {
    Set<String> names = new HashSet<>();
    for (SelfTest test : nullToEmpty(tests)) {
      String at = where + ", self-test " + test.name();
      if (!names.add(test.name())) {
        problems.add(at + ": declared twice");
      }
      if (!gears.contains(test.gear())) {
        problems.add(at + ": no gear named " + test.gear());
      }
      if (test.expect() == null) {
        problems.add(at + ": needs an expect section");
      }
    }
  }

  private static <T> List<T> nullToEmpty(List<T> list) {
    return list == null ? List.of() : list;
  }
}
