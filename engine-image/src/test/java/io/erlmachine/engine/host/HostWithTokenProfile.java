package io.erlmachine.engine.host;

import java.util.HashMap;
import java.util.Map;

/** The engine host of {@link HostTestProfile} with a control token, as a host pod on the cluster runs. */
public class HostWithTokenProfile extends HostTestProfile {
  public static final String TOKEN = "h0st-l0gs_control-token-for-tests";

  @Override
  public Map<String, String> getConfigOverrides() {
    Map<String, String> overrides = new HashMap<>(super.getConfigOverrides());
    overrides.put("erlmachine.engine.control-token", TOKEN);
    return overrides;
  }
}
