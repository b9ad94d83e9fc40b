package io.erlmachine.engine.http;

/** Reads a clutch position from a request. */
final class Clutches {
  private Clutches() {
  }

  static boolean engaged(Views.Clutch clutch) {
    if (clutch == null || clutch.clutch() == null) {
      throw ApiException.badRequest("send {\"clutch\": \"Engaged\"} or {\"clutch\": \"Disengaged\"}");
    }
    return switch (clutch.clutch()) {
      case "Engaged" -> true;
      case "Disengaged" -> false;
      default -> throw ApiException.badRequest("clutch must be Engaged or Disengaged, not " + clutch.clutch());
    };
  }
}
