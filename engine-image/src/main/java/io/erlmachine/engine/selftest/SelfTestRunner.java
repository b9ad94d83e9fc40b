package io.erlmachine.engine.selftest;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.erlmachine.api.v1alpha1.spec.SelfTest;
import io.erlmachine.api.v1alpha1.spec.SelfTestExpectation;
import io.erlmachine.engine.runtime.GearBehavior;
import io.erlmachine.engine.runtime.GearDefinition;
import io.erlmachine.engine.runtime.Message;
import io.erlmachine.engine.runtime.RuntimeServices.MessageLimits;
import io.erlmachine.engine.runtime.Watchdog;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Function;

/**
 * Runs a gearbox's self-tests: each test sends its input to a fresh behavior of the gear (for
 * JavaScript, a new module instance in the gearbox's context, so the running gears keep their
 * state) under the same limits as real messages, and compares what comes out with what the test
 * expects. Call it on the gearbox's lane: it runs code in the gearbox's context.
 */
public final class SelfTestRunner {
  private static final ObjectMapper JSON = new ObjectMapper();
  /** A self-test may run code for the first time, interpreted, often while the engine starts. */
  static final long COLD_START_TIMEOUT_MILLIS = 5000;
  private final Watchdog watchdog;

  public SelfTestRunner(Watchdog watchdog) {
    this.watchdog = watchdog;
  }

  /** Where the runner finds a gear's definition and outputs by name. */
  public record Gears(Function<String, GearDefinition> definitions, Function<String, List<String>> outputs) {
  }

  public List<SelfTestResult> run(List<SelfTest> tests, Gears gears, MessageLimits limits) {
    List<SelfTestResult> results = new ArrayList<>();
    for (SelfTest test : tests) {
      results.add(run(test, gears, limits));
    }
    return results;
  }

  private SelfTestResult run(SelfTest test, Gears gears, MessageLimits limits) {
    long start = System.nanoTime();
    GearDefinition definition = gears.definitions().apply(test.gear());
    RecordingEmitter emitter = new RecordingEmitter(gears.outputs().apply(test.gear()));
    String failure = null;
    Watchdog.Watch watch = watchdog.newWatch();
    try (GearBehavior behavior = definition.factory().create()) {
      watch.begin(behavior, Math.max(limits.timeoutMillis(), COLD_START_TIMEOUT_MILLIS), limits.allocationLimitBytes());
      try {
        behavior.receive(input(test), emitter);
      } catch (Exception | StackOverflowError e) {
        failure = watch.breach() != null ? watch.breach() : e.getMessage();
      } finally {
        watch.end();
      }
    } catch (Exception e) {
      failure = e.getMessage();
    } finally {
      watchdog.release(watch);
    }
    String verdict = judge(test.expect(), failure, emitter.emitted());
    return new SelfTestResult(test.name(), test.gear(), verdict == null, verdict == null ? "passed" : verdict,
        (System.nanoTime() - start) / 1000);
  }

  private static Message input(SelfTest test) throws JsonProcessingException {
    String body = test.input() == null ? "null" : JSON.writeValueAsString(test.input());
    return new Message("self-test", body, test.headers() == null ? Map.of() : test.headers());
  }

  /** Null when the outcome meets the expectation, otherwise what differs. */
  static String judge(SelfTestExpectation expect, String failure, List<Message> emitted) {
    boolean shouldFail = expect != null && Boolean.TRUE.equals(expect.fails());
    if (shouldFail) {
      return failure != null ? null : "expected the gear to fail, but it handled the message";
    }
    if (failure != null) {
      return "the gear failed: " + failure;
    }
    if (expect == null) {
      return null;
    }
    if (expect.messages() != null && expect.messages() != emitted.size()) {
      return "expected " + expect.messages() + " messages, the gear emitted " + emitted.size();
    }
    if (expect.firstBodyContains() != null && !expect.firstBodyContains().isEmpty()) {
      if (emitted.isEmpty()) {
        return "expected a message containing " + expect.firstBodyContains() + ", the gear emitted none";
      }
      return containsAll(emitted.getFirst().body(), expect.firstBodyContains());
    }
    return null;
  }

  private static String containsAll(String body, Map<String, JsonNode> expected) {
    JsonNode actual;
    try {
      actual = JSON.readTree(body);
    } catch (JsonProcessingException e) {
      return "the first message is not JSON";
    }
    for (Map.Entry<String, JsonNode> field : expected.entrySet()) {
      JsonNode value = actual.get(field.getKey());
      if (value == null || !sameValue(value, field.getValue())) {
        return "expected the first message's " + field.getKey() + " to be " + field.getValue() + ", got "
            + Objects.requireNonNullElse(value, "nothing") + " in " + body;
      }
    }
    return null;
  }

  private static boolean sameValue(JsonNode actual, JsonNode expected) {
    if (actual.isNumber() && expected.isNumber()) {
      return actual.decimalValue().compareTo(expected.decimalValue()) == 0;
    }
    return actual.equals(expected);
  }
}
