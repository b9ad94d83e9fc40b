package io.erlmachine.operator.status;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.javaoperatorsdk.operator.api.config.informer.InformerEventSourceConfiguration;
import io.javaoperatorsdk.operator.api.reconciler.EventSourceContext;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import io.javaoperatorsdk.operator.processing.event.source.informer.InformerEventSource;
import java.util.function.BiPredicate;
import java.util.stream.Collectors;

/**
 * An informer on another kind whose events reconcile the primaries of the same namespace that
 * the changed resource relates to (a Gearbox and the Machines that select it, a Machine and the
 * Transmissions that name it, ...).
 */
public final class SameNamespaceEvents {
  private SameNamespaceEvents() {
  }

  public static <S extends HasMetadata, P extends HasMetadata> InformerEventSource<S, P> of(
      EventSourceContext<P> context, Class<P> primary, Class<S> kind, String name, BiPredicate<S, P> relates) {
    var configuration = InformerEventSourceConfiguration.from(kind, primary)
        .withName(name)
        .withSecondaryToPrimaryMapper(changed -> context.getPrimaryCache().list(changed.getMetadata().getNamespace())
            .filter(candidate -> relates.test(changed, candidate))
            .map(ResourceID::fromResource)
            .collect(Collectors.toSet()))
        .build();
    return new InformerEventSource<>(configuration, context);
  }
}
