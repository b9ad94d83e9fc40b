package io.erlmachine.api.host;

import io.erlmachine.api.v1alpha1.ApiGroup;

/**
 * What the operator and a shared engine host agree on. The operator places a machine on a host
 * by labelling the machine's rendered-config ConfigMap with the host's name; the host watches
 * the ConfigMaps that carry its name, runs one machine per ConfigMap, and serves only while it
 * holds the Lease of the same name, on which it also publishes how each of its machines stands
 * ({@link MachineReports}). Hosts are the pods of one StatefulSet per namespace, so a host's
 * name, and with it every placement on it, outlives the pod.
 */
public final class HostContract {
  /** Label on a machine's config ConfigMap: the name of the host that runs it. */
  public static final String HOST_LABEL = ApiGroup.NAME + "/host";
  /** Key of the machine config in its ConfigMap (the same for dedicated machines). */
  public static final String CONFIG_KEY = "machine.yaml";
  /** Annotation on a machine's config ConfigMap: the Machine generation the config was rendered from. */
  public static final String GENERATION_ANNOTATION = ApiGroup.NAME + "/generation";
  /** Annotation on a host's Lease: its machines' reports, as JSON. */
  public static final String REPORTS_ANNOTATION = ApiGroup.NAME + "/machines";
  /** Name of the StatefulSet, headless Service and NetworkPolicy of a namespace's engine hosts; hosts are its pods. */
  public static final String HOSTS = "erlmachine-host";
  /** Value of app.kubernetes.io/component on every host object. */
  public static final String COMPONENT = "engine-host";
  /** The host's own port: health, metrics, and its machines' state. */
  public static final int HOST_PORT = 8080;
  /** Machine ports on a host start here: the machine in slot s listens on FIRST_MACHINE_PORT + s. */
  public static final int FIRST_MACHINE_PORT = 20000;

  private HostContract() {
  }

  /** The name of host number {@code ordinal} (a StatefulSet pod name). */
  public static String hostName(int ordinal) {
    return HOSTS + "-" + ordinal;
  }
}
