package io.erlmachine.operator.status;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.javaoperatorsdk.operator.api.config.informer.InformerEventSourceConfiguration;
import io.javaoperatorsdk.operator.api.reconciler.EventSourceContext;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import io.javaoperatorsdk.operator.processing.event.source.informer.InformerEventSource;
import java.util.function.BiPredicate;
import java.util.function.UnaryOperator;
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
    return new InformerEventSource<>(configuration(context, primary, kind, name, relates).build(), context);
  }

  /**
   * The same informer, keeping of each object only what {@code reduction} leaves of it: it must keep all that
   * {@code relates} and the primary's reconciler read, since both also see the kept objects.
   */
  public static <S extends HasMetadata, P extends HasMetadata> InformerEventSource<S, P> reduced(
      EventSourceContext<P> context, Class<P> primary, Class<S> kind, String name, BiPredicate<S, P> relates, UnaryOperator<S> reduction) {
    var configuration = configuration(context, primary, kind, name, relates).withItemStore(new ReducedItemStore<>(reduction));
    return new InformerEventSource<>(configuration.build(), context);
  }

  private static <S extends HasMetadata, P extends HasMetadata> InformerEventSourceConfiguration.Builder<S> configuration(
      EventSourceContext<P> context, Class<P> primary, Class<S> kind, String name, BiPredicate<S, P> relates) {
    return InformerEventSourceConfiguration.from(kind, primary)
        .withName(name)
        .withSecondaryToPrimaryMapper(changed -> context.getPrimaryCache().list(changed.getMetadata().getNamespace())
            .filter(candidate -> relates.test(changed, candidate))
            .map(ResourceID::fromResource)
            .collect(Collectors.toSet()));
  }
}
