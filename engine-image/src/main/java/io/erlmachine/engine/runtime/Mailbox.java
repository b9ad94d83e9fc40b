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
final class Mailbox {
  private volatile int capacity;
  private final ArrayDeque<Message> messages;
  private final Set<GearCell> waiters = new LinkedHashSet<>();

  Mailbox(int capacity) {
    this.capacity = capacity;
    this.messages = new ArrayDeque<>(Math.min(capacity, 1024));
  }

  int capacity() {
    return capacity;
  }

  /** A smaller capacity keeps the messages already queued; it only refuses new ones sooner. */
  void resize(int newCapacity) {
    capacity = newCapacity;
  }

  synchronized boolean offer(Message message) {
    if (messages.size() >= capacity) {
      return false;
    }
    messages.addLast(message);
    return true;
  }

  /** Offers a message; when full, remembers the sender so it can be woken when room appears. */
  synchronized boolean offerOrWait(Message message, GearCell sender) {
    if (messages.size() >= capacity) {
      waiters.add(sender);
      return false;
    }
    messages.addLast(message);
    return true;
  }

  /** Takes the next message; the returned waiters should be woken by the caller. */
  Message poll(List<GearCell> wake) {
    synchronized (this) {
      Message next = messages.pollFirst();
      if (next != null && !waiters.isEmpty()) {
        wake.addAll(waiters);
        waiters.clear();
      }
      return next;
    }
  }

  synchronized int size() {
    return messages.size();
  }

  synchronized boolean isEmpty() {
    return messages.isEmpty();
  }

  /** Removes everything, for handing the messages to a replacement gear or to dead letters. */
  List<Message> drain(List<GearCell> wake) {
    synchronized (this) {
      List<Message> all = new ArrayList<>(messages);
      messages.clear();
      wake.addAll(waiters);
      waiters.clear();
      return all;
    }
  }
}
