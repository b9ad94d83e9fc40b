package io.erlmachine.engine.http;

import java.util.HashMap;
import java.util.Map;

/** The test engine as an engine host runs it: with a control token. */
public class ControlTokenProfile extends EngineTestProfile {
  public static final String TOKEN = "q8Zr0c2v-control-token_for-tests";

  @Override
  public Map<String, String> getConfigOverrides() {
    Map<String, String> overrides = new HashMap<>(super.getConfigOverrides());
    overrides.put("erlmachine.engine.control-token", TOKEN);
    return overrides;
  }
}
