package io.erlmachine.operator.machine;

import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.PodSecurityContext;
import io.fabric8.kubernetes.api.model.PodSecurityContextBuilder;
import io.fabric8.kubernetes.api.model.Probe;
import io.fabric8.kubernetes.api.model.ProbeBuilder;
import io.fabric8.kubernetes.api.model.SecurityContext;
import io.fabric8.kubernetes.api.model.SecurityContextBuilder;

/** What every engine pod shares, dedicated or host: the restricted Pod Security profile and the probes. */
public final class EnginePodParts {
  public static final long ENGINE_UID = 10001L;

  private EnginePodParts() {
  }

  public static PodSecurityContext podSecurity() {
    return new PodSecurityContextBuilder()
        .withRunAsNonRoot(true).withRunAsUser(ENGINE_UID).withRunAsGroup(ENGINE_UID).withFsGroup(ENGINE_UID)
        .withNewSeccompProfile().withType("RuntimeDefault").endSeccompProfile()
        .build();
  }

  /** Read-only root, no privilege escalation, no capabilities. */
  public static SecurityContext containerSecurity() {
    return new SecurityContextBuilder()
        .withAllowPrivilegeEscalation(false).withReadOnlyRootFilesystem(true).withRunAsNonRoot(true)
        .withNewCapabilities().withDrop("ALL").endCapabilities()
        .build();
  }

  /**
   * Up to five minutes for the JVM and the JIT to start (a loaded node can take minutes) before
   * the liveness probe may restart the engine; liveness and readiness only start after it.
   */
  public static Probe startupProbe() {
    return new ProbeBuilder().withNewHttpGet().withPath("/q/health/live").withPort(new IntOrString("http")).endHttpGet()
        .withPeriodSeconds(5).withTimeoutSeconds(2).withFailureThreshold(60).build();
  }

  public static Probe httpProbe(String path, int failureThreshold) {
    return new ProbeBuilder().withNewHttpGet().withPath(path).withPort(new IntOrString("http")).endHttpGet()
        .withPeriodSeconds(10).withTimeoutSeconds(2).withFailureThreshold(failureThreshold).build();
  }
}
