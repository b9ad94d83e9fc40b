package io.erlmachine.api.v1alpha1.status;

/** Condition types and the reasons the operator sets. */
public final class ConditionTypes {
  public static final String READY = "Ready";
  public static final String PROGRESSING = "Progressing";
  public static final String DEGRADED = "Degraded";
  public static final String VALID = "Valid";
  public static final String RESOLVED = "Resolved";

  private ConditionTypes() {
  }
}
