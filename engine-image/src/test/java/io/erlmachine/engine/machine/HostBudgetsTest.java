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

  @Test
  void aMachinesRetainedHeapIsWhatItsConfigAsksOrItsShareFlooredAndNeverMoreThanTheHosts() {
    HostBudgets budgets = new HostBudgets(new HostBudgets.Totals(1000, 100, 1 << 20, 10_000, 32L << 20, 1L << 30));
    budgets.join();
    assertThat(budgets.retainedHeapBytes(0)).as("alone: the whole budget").isEqualTo(1L << 30);
    for (int i = 1; i < 16; i++) {
      budgets.join();
    }
    assertThat(budgets.retainedHeapBytes(0)).as("16 machines share 1 GiB").isEqualTo(64L << 20);
    for (int i = 16; i < 1000; i++) {
      budgets.join();
    }
    assertThat(budgets.retainedHeapBytes(0)).as("never below the floor").isEqualTo(16L << 20);
    assertThat(budgets.retainedHeapBytes(256L << 20)).as("what the config asks for").isEqualTo(256L << 20);
    assertThat(budgets.retainedHeapBytes(4L << 30)).as("never more than the host's").isEqualTo(1L << 30);
    HostBudgets off = new HostBudgets(new HostBudgets.Totals(1000, 100, 1 << 20, 10_000, 32L << 20, 0));
    off.join();
    assertThat(off.retainedHeapBytes(256L << 20)).as("a host with the limit off limits nothing").isZero();
  }
}
