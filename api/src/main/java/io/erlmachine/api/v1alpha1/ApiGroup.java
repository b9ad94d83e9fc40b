package io.erlmachine.api.v1alpha1;

/** Names shared by every Erlmachine resource. */
public final class ApiGroup {
  public static final String NAME = "erlmachine.io";
  public static final String VERSION = "v1alpha1";
  public static final String API_VERSION = NAME + "/" + VERSION;
  /** {@code kubectl get erlmachine} lists every kind in this category. */
  public static final String CATEGORY = "erlmachine";
  /** Label carrying a machine's serial number, on the Machine and everything it owns. */
  public static final String SERIAL_LABEL = NAME + "/serial";
  public static final String MACHINE_LABEL = NAME + "/machine";

  private ApiGroup() {
  }
}
