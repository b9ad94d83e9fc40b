package io.erlmachine.engine.runtime;

import java.util.List;

/** Where a gear's output goes: the gears its shafts lead to. */
public interface Emitter {

  /** Names of the gears this gear feeds, in the order the shafts were declared. */
  List<String> outputs();

  /** Sends a message to every output. */
  void toAll(Message message);

  /** Sends a message to one named output. */
  void to(String output, Message message);

  /** A new tracking number, for gears that originate messages. */
  String newTracking();
}
