package io.erlmachine.operator.status;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.CustomResource;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.api.reconciler.PrimaryUpdateAndCacheUtils;
import java.util.Objects;
import java.util.function.Supplier;

/**
 * Writes a resource's status when it differs from the status the reconcile was given, and caches
 * the written resource, so the next reconcile of the resource starts from the status the operator
 * wrote last. Without the cache a reconcile that runs before the informer has seen the write
 * reads the older status: it compares its result with that one, and either skips a write that was
 * needed or writes a status that is already out of date, and the status stays wrong until the
 * next event. The status is sent with server-side apply under the controller's field manager and
 * the resourceVersion the reconcile read; after a conflict the write waits for the newer version
 * in the cache and is sent again on top of it ({@link PrimaryUpdateAndCacheUtils}).
 */
public final class StatusWriter<S, R extends CustomResource<?, S>> {
  /** Sends a status patch and caches the resource the API server returned. */
  @FunctionalInterface
  interface Write<R extends HasMetadata> {
    R apply(R primary, R patch, Context<R> context);
  }

  private final Supplier<R> blank;
  private final Write<R> write;

  public StatusWriter(Supplier<R> blank) {
    this(blank, PrimaryUpdateAndCacheUtils::ssaPatchStatusAndCacheResource);
  }

  StatusWriter(Supplier<R> blank, Write<R> write) {
    this.blank = Objects.requireNonNull(blank, "blank");
    this.write = Objects.requireNonNull(write, "write");
  }

  /** Writes the status unless the resource shows it already; says whether it wrote. */
  public boolean writeIfChanged(R resource, S status, Context<R> context) {
    if (Objects.equals(resource.getStatus(), status)) {
      return false;
    }
    write.apply(resource, StatusPatch.of(resource, status, blank), context);
    return true;
  }
}
