package io.erlmachine.engine.host;

import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Predicate;

/**
 * Whether the engine takes new messages. It closes when the engine shuts down, so that the engine can finish the
 * messages it accepted before it exits. Even then a machine of this engine may still hand its output to another machine
 * here (their transmission would otherwise hold it until the end and lose it). A message is admitted and put into its
 * mailbox as one step: {@link #unfinished()} counts those under way, so a drain never misses one admitted just before
 * the intake closed.
 */
public final class MessageIntake {
  private final Predicate<String> runsHere;
  private final AtomicInteger admitting = new AtomicInteger();
  private volatile boolean open = true;

  /** {@code runsHere}: whether a machine of this name runs on this engine. */
  MessageIntake(Predicate<String> runsHere) {
    this.runsHere = runsHere;
  }

  /**
   * Admits a message from {@code sender} (a machine's name, or null from outside): true when the caller may put it
   * into its mailbox, and must then call {@link #admitted()}; false once the intake closed.
   */
  public boolean admit(String sender) {
    admitting.incrementAndGet();
    if (open || sender != null && runsHere.test(sender)) {
      return true;
    }
    admitting.decrementAndGet();
    return false;
  }

  /** The admitted message is in its mailbox (or was refused there). */
  public void admitted() {
    admitting.decrementAndGet();
  }

  public boolean open() {
    return open;
  }

  /** No new message from outside from now on. */
  void close() {
    open = false;
  }

  /** Messages admitted and not yet in their mailboxes. */
  int unfinished() {
    return admitting.get();
  }
}
