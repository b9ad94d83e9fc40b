package io.erlmachine.operator.status;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.informers.cache.Cache;
import io.fabric8.kubernetes.client.informers.cache.ItemStore;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.UnaryOperator;
import java.util.stream.Stream;

/**
 * An informer's item store that keeps of each object only what a reduction leaves of it, for a controller that reads a
 * few fields of another kind's objects. Each object is reduced once, when the informer hands it over, and handed out
 * as kept: fabric8's {@code ReducedStateItemStore} would rebuild an object with Jackson on every read, and a reconcile
 * that lists a namespace's thousands of Machines would pay that for each of them. Keys are the informer's default,
 * {@code namespace/name}; kept objects, like any informer's, must not be changed by their readers.
 */
public final class ReducedItemStore<T extends HasMetadata> implements ItemStore<T> {
  private final ConcurrentHashMap<String, T> items = new ConcurrentHashMap<>();
  private final UnaryOperator<T> reduction;

  public ReducedItemStore(UnaryOperator<T> reduction) {
    this.reduction = Objects.requireNonNull(reduction, "reduction");
  }

  @Override
  public String getKey(T item) {
    return Cache.metaNamespaceKeyFunc(item);
  }

  @Override
  public T put(String key, T item) {
    return items.put(key, reduction.apply(item));
  }

  @Override
  public T remove(String key) {
    return items.remove(key);
  }

  @Override
  public Stream<String> keySet() {
    return items.keySet().stream();
  }

  @Override
  public Stream<T> values() {
    return items.values().stream();
  }

  @Override
  public int size() {
    return items.size();
  }

  @Override
  public T get(String key) {
    return items.get(key);
  }

  /** The kept objects are not whole: the informer hands its listeners the objects it read, not the kept ones. */
  @Override
  public boolean isFullState() {
    return false;
  }
}
