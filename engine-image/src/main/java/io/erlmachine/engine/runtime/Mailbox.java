package io.erlmachine.engine.runtime;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * A gear's bounded mailbox. A full mailbox never drops a message: external senders are told
 * to come back later, and a gear that feeds it registers as a waiter and is woken when there
 * is room again, so backpressure travels upstream through the gearbox.
 */
public final class Mailbox {
  private volatile int capacity;
  private final ArrayDeque<Message> messages;
  private final Set<GearCell> waiters = new LinkedHashSet<>();

  public Mailbox(int capacity) {
    this.capacity = capacity;
    this.messages = new ArrayDeque<>(Math.min(capacity, 1024));
  }

  public int capacity() {
    return capacity;
  }

  /** A smaller capacity keeps the messages already queued; it only refuses new ones sooner. */
  public void resize(int newCapacity) {
    capacity = newCapacity;
  }

  public synchronized boolean offer(Message message) {
    if (messages.size() >= capacity) {
      return false;
    }
    messages.addLast(message);
    return true;
  }

  /** Offers a message; when full, remembers the sender so it can be woken when room appears. */
  public synchronized boolean offerOrWait(Message message, GearCell sender) {
    if (messages.size() >= capacity) {
      waiters.add(sender);
      return false;
    }
    messages.addLast(message);
    return true;
  }

  /** Takes the next message; the returned waiters should be woken by the caller. */
  public Message poll(List<GearCell> wake) {
    synchronized (this) {
      Message next = messages.pollFirst();
      if (next != null && !waiters.isEmpty()) {
        wake.addAll(waiters);
        waiters.clear();
      }
      return next;
    }
  }

  public synchronized int size() {
    return messages.size();
  }

  public synchronized boolean isEmpty() {
    return messages.isEmpty();
  }

  /** Removes everything, for handing the messages to a replacement gear or to dead letters. */
  public List<Message> drain(List<GearCell> wake) {
    synchronized (this) {
      List<Message> all = new ArrayList<>(messages);
      messages.clear();
      wake.addAll(waiters);
      waiters.clear();
      return all;
    }
  }
}
