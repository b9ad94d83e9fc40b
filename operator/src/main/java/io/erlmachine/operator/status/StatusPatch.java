package io.erlmachine.operator.status;

import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.client.CustomResource;
import java.util.function.Supplier;

/** A resource carrying only its name, namespace and new status: what a status patch sends. */
public final class StatusPatch {
  private StatusPatch() {
  }

  public static <S, R extends CustomResource<?, S>> R of(R resource, S status, Supplier<R> blank) {
    R patch = blank.get();
    patch.setMetadata(new ObjectMetaBuilder()
        .withName(resource.getMetadata().getName()).withNamespace(resource.getMetadata().getNamespace()).build());
    patch.setStatus(status);
    return patch;
  }
}
