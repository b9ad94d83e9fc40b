package io.erlmachine.engine.host;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Set;
import org.junit.jupiter.api.Test;

class MessageIntakeTest {
  private final MessageIntake intake = new MessageIntake(Set.of("gateway", "ledger")::contains);

  @Test
  void anOpenIntakeAdmitsEveryoneAndCountsWhatIsBeingAdmitted() {
    assertThat(intake.admit(null)).isTrue();
    assertThat(intake.admit("elsewhere")).isTrue();
    assertThat(intake.unfinished()).isEqualTo(2);
    intake.admitted();
    intake.admitted();
    assertThat(intake.unfinished()).isZero();
  }

  @Test
  void aClosedIntakeRefusesOutsidersButLetsTheHostsOwnMachinesPassTheirOutputOn() {
    intake.close();
    assertThat(intake.open()).isFalse();
    assertThat(intake.admit(null)).as("a client").isFalse();
    assertThat(intake.admit("elsewhere")).as("a machine on another host keeps and retries its messages").isFalse();
    assertThat(intake.unfinished()).as("refused messages are not counted").isZero();
    assertThat(intake.admit("ledger")).as("a machine of this host").isTrue();
    assertThat(intake.unfinished()).isEqualTo(1);
  }
}
