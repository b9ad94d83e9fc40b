package io.erlmachine.engine.cli;

import java.net.URI;

/** Where one machine's API answers for this command, and the control token it needs (null when none). */
public interface MachineEndpoint extends AutoCloseable {
  URI url();

  String token();

  /** The machine as the user named it, with where it runs, for messages. */
  String describe();

  /** Why a request to the machine failed to connect, as far as this endpoint knows. */
  default String whyUnreachable(java.io.IOException failure) {
    return failure.toString();
  }

  @Override
  void close();
}
