package io.erlmachine.operator.machine;

import io.erlmachine.api.host.HostContract;
import io.erlmachine.api.v1alpha1.Machine;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.javaoperatorsdk.operator.api.config.informer.Informer;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.processing.dependent.Matcher;
import io.javaoperatorsdk.operator.processing.dependent.kubernetes.KubernetesDependent;
import java.util.HashMap;
import java.util.Objects;
import java.util.Optional;

/**
 * Owns the rendered machine config the engine runs. ConfigMaps are updated (not applied), and an
 * update adds the desired labels to the live ones; the host label, which says which host runs the
 * machine, must also go away when the machine leaves its host, so it is compared and removed here.
 */
@KubernetesDependent(informer = @Informer(labelSelector = MachineObjects.MANAGED_SELECTOR))
public class MachineConfigDependent extends MachineOwnedDependent<ConfigMap> {
  public MachineConfigDependent() {
    super(ConfigMap.class, DesiredMachineObjects::config, MachineObjects::configMapName);
  }

  @Override
  public Matcher.Result<ConfigMap> match(ConfigMap actual, Machine primary, Context<Machine> context) {
    Matcher.Result<ConfigMap> result = super.match(actual, primary, context);
    ConfigMap desired = result.computedDesired().orElseGet(() -> desired(primary, context));
    return result.matched() && host(actual).equals(host(desired)) ? result : Matcher.Result.computed(false, desired);
  }

  @Override
  public ConfigMap update(ConfigMap actual, ConfigMap desired, Machine primary, Context<Machine> context) {
    ConfigMap base = actual;
    if (host(desired).isEmpty() && host(actual).isPresent()) {
      base = context.getClient().getKubernetesSerialization().clone(actual);
      var labels = new HashMap<>(base.getMetadata().getLabels());
      labels.remove(HostContract.HOST_LABEL);
      base.getMetadata().setLabels(labels);
    }
    return super.update(base, desired, primary, context);
  }

  private static Optional<String> host(ConfigMap config) {
    return Optional.ofNullable(Objects.requireNonNullElse(config.getMetadata().getLabels(), java.util.Map.<String, String>of()).get(HostContract.HOST_LABEL));
  }
}
