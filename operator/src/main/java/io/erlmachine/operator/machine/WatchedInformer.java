package io.erlmachine.operator.machine;

import io.erlmachine.api.v1alpha1.Machine;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.javaoperatorsdk.operator.api.config.informer.InformerEventSourceConfiguration;
import io.javaoperatorsdk.operator.api.reconciler.EventSourceContext;
import io.javaoperatorsdk.operator.processing.event.source.informer.InformerEventSource;
import java.util.function.Consumer;

/**
 * An informer event source that also tells a listener about additions and deletions. The
 * Machine a deleted object belonged to may be gone already (its objects are garbage
 * collected after it), so this is how the operator learns that a shared machine left its host.
 */
final class WatchedInformer<R extends HasMetadata> extends InformerEventSource<R, Machine> {
  private final Consumer<R> added;
  private final Consumer<R> deleted;

  WatchedInformer(InformerEventSourceConfiguration<R> configuration, EventSourceContext<Machine> context, Consumer<R> added, Consumer<R> deleted) {
    super(configuration, context);
    this.added = added;
    this.deleted = deleted;
  }

  @Override
  public void onAdd(R resource) {
    super.onAdd(resource);
    added.accept(resource);
  }

  @Override
  public void onDelete(R resource, boolean deletedFinalStateUnknown) {
    super.onDelete(resource, deletedFinalStateUnknown);
    deleted.accept(resource);
  }
}
