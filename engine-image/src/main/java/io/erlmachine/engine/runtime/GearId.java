package io.erlmachine.engine.runtime;

/** A gear's address inside a machine. */
public record GearId(String gearbox, String gear) {
  @Override
  public String toString() {
    return gearbox + "/" + gear;
  }
}
