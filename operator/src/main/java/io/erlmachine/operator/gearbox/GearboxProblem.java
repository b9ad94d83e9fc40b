package io.erlmachine.operator.gearbox;

/** Why a gearbox cannot run anywhere: a reason for conditions and a message for the user. */
public record GearboxProblem(String reason, String message) {
  public static final String SOURCE_NOT_FOUND = "SourceNotFound";
  public static final String SYNTAX_ERROR = "SyntaxError";
}
