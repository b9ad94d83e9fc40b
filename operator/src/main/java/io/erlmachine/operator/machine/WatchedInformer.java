package io.erlmachine.operator.machine;

import io.erlmachine.api.v1alpha1.Machine;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.javaoperatorsdk.operator.api.config.informer.InformerEventSourceConfiguration;
import io.javaoperatorsdk.operator.api.reconciler.EventSourceContext;
import io.javaoperatorsdk.operator.processing.event.source.informer.InformerEventSource;
import java.util.function.Consumer;

/**
 * An informer event source that also tells listeners about additions, deletions and, if asked,
 * every update (those its filters keep from reconciles too). The Machine a deleted object
 * belonged to may be gone already (its objects are garbage collected after it), so this is how
 * the operator learns that a shared machine left its host; and every renewal of a host's Lease
 * is how the Lease's expiry timer learns when it is due.
 */
final class WatchedInformer<R extends HasMetadata> extends InformerEventSource<R, Machine> {
  private final Consumer<R> added;
  private final Consumer<R> updated;
  private final Consumer<R> deleted;

  WatchedInformer(InformerEventSourceConfiguration<R> configuration, EventSourceContext<Machine> context, Consumer<R> added, Consumer<R> deleted) {
    this(configuration, context, added, resource -> { }, deleted);
  }

  WatchedInformer(InformerEventSourceConfiguration<R> configuration, EventSourceContext<Machine> context, Consumer<R> added,
                  Consumer<R> updated, Consumer<R> deleted) {
    super(configuration, context);
    this.added = added;
    this.updated = updated;
    this.deleted = deleted;
  }

  @Override
  public void onUpdate(R oldResource, R newResource) {
    super.onUpdate(oldResource, newResource);
    updated.accept(newResource);
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
