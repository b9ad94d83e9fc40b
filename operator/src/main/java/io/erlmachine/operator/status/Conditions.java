package io.erlmachine.operator.status;

import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.ConditionBuilder;
import java.time.Clock;
import java.time.Instant;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Objects;

/** Builds metav1.Conditions that keep their lastTransitionTime while their status stays the same. */
public final class Conditions {
  private final Clock clock;

  public Conditions(Clock clock) {
    this.clock = clock;
  }

  public Condition condition(List<Condition> previous, String type, boolean status, String reason, String message, long generation) {
    String statusText = status ? "True" : "False";
    String since = previous.stream()
        .filter(c -> type.equals(c.getType()) && statusText.equals(c.getStatus()))
        .map(Condition::getLastTransitionTime)
        .filter(Objects::nonNull)
        .findFirst()
        .orElseGet(() -> DateTimeFormatter.ISO_INSTANT.format(Instant.now(clock).truncatedTo(ChronoUnit.SECONDS)));
    return new ConditionBuilder().withType(type).withStatus(statusText).withReason(reason).withMessage(message)
        .withObservedGeneration(generation).withLastTransitionTime(since).build();
  }
}
