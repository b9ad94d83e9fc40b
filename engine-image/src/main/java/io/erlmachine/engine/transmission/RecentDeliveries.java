package io.erlmachine.engine.transmission;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Delivery ids a machine accepted recently, so that a retried delivery (the sender did not see
 * the answer to an earlier attempt) is not handled twice: at-least-once delivery, exactly-once
 * effect within the window of the most recent {@code capacity} deliveries.
 */
public final class RecentDeliveries {
  private final Map<String, Boolean> seen;

  public RecentDeliveries(int capacity) {
    this.seen = new LinkedHashMap<>(1024, 0.75f, false) {
      @Override
      protected boolean removeEldestEntry(Map.Entry<String, Boolean> eldest) {
        return size() > capacity;
      }
    };
  }

  public synchronized boolean seen(String deliveryId) {
    return seen.containsKey(deliveryId);
  }

  public synchronized void remember(String deliveryId) {
    seen.put(deliveryId, Boolean.TRUE);
  }
}
