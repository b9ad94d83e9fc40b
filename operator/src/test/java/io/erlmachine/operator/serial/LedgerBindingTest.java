package io.erlmachine.operator.serial;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class LedgerBindingTest {
  @Test
  void aBindingReadsBackAsWritten() {
    LedgerBinding binding = new LedgerBinding(42, "6f1c2a7e-0000-4000-8000-000000000001", "team-a", "gateway");
    assertThat(LedgerBinding.parse(binding.key(), binding.value())).contains(binding);
    assertThat(binding.machine()).isEqualTo("team-a/gateway");
  }

  @Test
  void entriesThatAreNotBindingsAreSkipped() {
    assertThat(LedgerBinding.parse("next", "uid team/name")).isEmpty();
    assertThat(LedgerBinding.parse("0", "uid team/name")).isEmpty();
    assertThat(LedgerBinding.parse("5", "uid-without-machine")).isEmpty();
    assertThat(LedgerBinding.parse("5", null)).isEmpty();
  }
}
