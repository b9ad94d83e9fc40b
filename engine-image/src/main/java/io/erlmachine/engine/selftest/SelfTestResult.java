package io.erlmachine.engine.selftest;

/** The outcome of one self-test. */
public record SelfTestResult(String name, String gear, boolean passed, String message, long micros) {
}
