package io.erlmachine.operator.machine;

import io.erlmachine.operator.config.OperatorSettings;
import java.util.List;

/** The operator settings that shape a machine's objects, as plain values. */
public record EngineSettings(String image, String pullPolicy, String clusterDomain, String defaultCpuRequest,
                             String defaultMemoryRequest, String defaultMemoryLimit, String operatorNamespace,
                             List<String> scraperNamespaces) {

  public static EngineSettings from(OperatorSettings settings) {
    OperatorSettings.Engine engine = settings.engine();
    return new EngineSettings(engine.image(), engine.pullPolicy(), settings.clusterDomain(), engine.defaultCpuRequest(),
        engine.defaultMemoryRequest(), engine.defaultMemoryLimit(), settings.operatorNamespace(),
        List.copyOf(settings.networkPolicies().scraperNamespaces()));
  }
}
