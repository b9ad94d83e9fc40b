package io.erlmachine.engine.runtime;

/**
 * Everything the runtime needs to run one gear. The fingerprint identifies the gear's code and
 * settings: a reload replaces a gear's behavior only when its fingerprint changes.
 */
public record GearDefinition(String name, String prototype, int mailboxCapacity, long tickIntervalMillis,
                             String fingerprint, GearFactory factory) {
}
