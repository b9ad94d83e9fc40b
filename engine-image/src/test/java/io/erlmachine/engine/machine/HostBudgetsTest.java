package io.erlmachine.engine.machine;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.function.LongSupplier;
import org.junit.jupiter.api.Test;

class HostBudgetsTest {

  @Test
  void aMachinesLogBudgetIsItsShareOfTheHostsCappedAndFloored() {
    HostBudgets budgets = new HostBudgets(new HostBudgets.Totals(1000, 100, 1 << 20, 10_000, 32L << 20));
    LongSupplier share = budgets.logBytes(256L << 10);
    budgets.join();
    assertThat(share.getAsLong()).as("alone: the per-machine maximum").isEqualTo(256L << 10);
    for (int i = 1; i < 512; i++) {
      budgets.join();
    }
    assertThat(share.getAsLong()).as("512 machines share 32 MiB").isEqualTo(64L << 10);
    for (int i = 512; i < 10_000; i++) {
      budgets.join();
    }
    assertThat(share.getAsLong()).as("never below the floor").isEqualTo(16L << 10);
    for (int i = 1; i < 10_000; i++) {
      budgets.leave();
    }
    assertThat(share.getAsLong()).as("shares follow machines that leave").isEqualTo(256L << 10);
  }
}
