package io.erlmachine.engine.runtime;

/** A gear failed to handle a message; the message says why, in the user's terms. */
public class GearFailure extends RuntimeException {
  public GearFailure(String message) {
    super(message);
  }

  public GearFailure(String message, Throwable cause) {
    super(message, cause);
  }
}
