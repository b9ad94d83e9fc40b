package io.erlmachine.engine.runtime;

/**
 * What a gear does with a message. Called by one thread at a time; a behavior may keep state
 * between messages. A behavior that throws has crashed: its supervisor dead-letters the message
 * and replaces the behavior with a fresh one.
 */
public interface GearBehavior extends AutoCloseable {

  void receive(Message message, Emitter emitter) throws Exception;

  /**
   * Called after a message was handled, outside its time and allocation budgets: checks what the
   * behavior keeps between messages and throws a {@link GearFailure} when that broke a limit.
   */
  default void afterMessage() {
  }

  /** The gear's state as JSON, for inspection. */
  default String snapshot() {
    return "null";
  }

  /** Stops a receive that runs away; called by the watchdog from another thread. */
  default void cancel() {
  }

  /** For source gears: the interval at which the engine feeds it ticks, or 0 for none. */
  default long tickIntervalMillis() {
    return 0;
  }

  @Override
  default void close() {
  }
}
