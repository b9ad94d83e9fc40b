package io.erlmachine.api.v1alpha1.spec;

/** Name formats used in the schema. */
public final class Names {
  /** An RFC 1123 label: gear, gearbox and machine names. */
  public static final String DNS_LABEL = "^[a-z0-9]([-a-z0-9]*[a-z0-9])?$";
  /** An RFC 1123 subdomain: names of ConfigMaps and other referenced objects. */
  public static final String DNS_SUBDOMAIN = "^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$";
  /** A Go duration such as 250ms, 2s or 1m30s; CEL rules check this before calling duration(). */
  public static final String DURATION = "^([0-9]+([.][0-9]+)?(ns|us|ms|s|m|h))+$";
  /** A ConfigMap key. */
  public static final String CONFIG_MAP_KEY = "^[-._a-zA-Z0-9]+$";

  private Names() {
  }
}
