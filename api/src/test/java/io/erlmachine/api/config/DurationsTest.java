package io.erlmachine.api.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class DurationsTest {
  @ParameterizedTest
  @CsvSource({"250ms,250", "2s,2000", "1m30s,90000", "1.5s,1500", "1h,3600000", "500us,1", "100ns,0"})
  void parsesGoDurations(String text, long millis) {
    assertThat(Durations.toMillis(text)).isEqualTo(millis);
  }

  @ParameterizedTest
  @ValueSource(strings = {"", "2", "soon", "2 s", "s2", "1d", "2s-"})
  void rejectsAnythingElse(String text) {
    assertThatThrownBy(() -> Durations.toMillis(text)).isInstanceOf(IllegalArgumentException.class);
  }
}
