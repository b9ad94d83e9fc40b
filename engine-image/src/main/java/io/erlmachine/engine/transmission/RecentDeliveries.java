package io.erlmachine.engine.transmission;

import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.function.IntSupplier;

/**
 * Delivery ids a machine accepted recently, so that a retried delivery (the sender did not see
 * the answer to an earlier attempt) is not handled twice: at-least-once delivery, exactly-once
 * effect within the window of the most recent deliveries. The window's size is read on every
 * write: the machine's share of its host's budget.
 */
public final class RecentDeliveries {
  private final IntSupplier capacity;
  private final LinkedHashSet<String> seen = new LinkedHashSet<>();

  public RecentDeliveries(int capacity) {
    this(() -> capacity);
  }

  public RecentDeliveries(IntSupplier capacity) {
    this.capacity = capacity;
  }

  public synchronized boolean seen(String deliveryId) {
    return seen.contains(deliveryId);
  }

  public synchronized void remember(String deliveryId) {
    seen.add(deliveryId);
    int keep = Math.max(1, capacity.getAsInt());
    Iterator<String> eldest = seen.iterator();
    while (seen.size() > keep && eldest.hasNext()) {
      eldest.next();
      eldest.remove();
    }
  }
}
