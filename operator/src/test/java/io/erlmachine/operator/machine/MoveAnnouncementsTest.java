package io.erlmachine.operator.machine;

import static org.assertj.core.api.Assertions.assertThat;

import io.javaoperatorsdk.operator.processing.event.ResourceID;
import org.junit.jupiter.api.Test;

class MoveAnnouncementsTest {
  private static final ResourceID NOMAD = new ResourceID("nomad", "ns");
  private final MoveAnnouncements moves = new MoveAnnouncements();

  @Test
  void aMoveAnnouncedIsUnderwayWhateverAnOlderStatusSaysUntilItsArrivalIs() {
    assertThat(moves.wasMoving(NOMAD, false)).isFalse();
    moves.started(NOMAD, id -> false);
    assertThat(moves.wasMoving(NOMAD, false)).as("a status read from before the Moving write").isTrue();
    moves.arrived(NOMAD);
    assertThat(moves.wasMoving(NOMAD, true)).as("a status read from before the arrival still says Moving").isFalse();
    assertThat(moves.wasMoving(NOMAD, false)).isFalse();
    assertThat(moves.wasMoving(NOMAD, true)).as("once the status caught up, a status saying Moving is a new move").isTrue();
  }

  @Test
  void withNothingAnnouncedTheStatusSaysAsAfterAnOperatorRestart() {
    assertThat(moves.wasMoving(NOMAD, true)).isTrue();
  }

  @Test
  void machinesThatAreGoneAreForgottenWhenAMoveStarts() {
    moves.started(NOMAD, id -> false);
    ResourceID other = new ResourceID("other", "ns");
    moves.started(other, NOMAD::equals);
    assertThat(moves.wasMoving(NOMAD, false)).isFalse();
    assertThat(moves.wasMoving(other, false)).isTrue();
  }
}
