package io.erlmachine.operator.serial;

import io.erlmachine.api.v1alpha1.Machine;
import java.util.Optional;

/**
 * One entry of the serial ledger: serial number {@code serial} belongs to the Machine with
 * this UID (its namespace and name are kept so that messages can name it). Stored in a ledger
 * shard as the key {@code "<serial>"} with the value {@code "<uid> <namespace>/<name>"}.
 */
public record LedgerBinding(long serial, String uid, String namespace, String name) {

  static LedgerBinding of(long serial, Machine machine) {
    return new LedgerBinding(serial, machine.getMetadata().getUid(), machine.getMetadata().getNamespace(), machine.getMetadata().getName());
  }

  /** The entry stored under {@code key}, if it is one (a key or value written by hand is skipped). */
  static Optional<LedgerBinding> parse(String key, String value) {
    if (value == null) {
      return Optional.empty();
    }
    int space = value.indexOf(' ');
    int slash = value.indexOf('/', space + 1);
    try {
      long serial = Long.parseLong(key);
      if (serial <= 0 || space <= 0 || slash < 0) {
        return Optional.empty();
      }
      return Optional.of(new LedgerBinding(serial, value.substring(0, space), value.substring(space + 1, slash), value.substring(slash + 1)));
    } catch (NumberFormatException notASerial) {
      return Optional.empty();
    }
  }

  String key() {
    return Long.toString(serial);
  }

  String value() {
    return uid + " " + namespace + "/" + name;
  }

  String machine() {
    return namespace + "/" + name;
  }
}
