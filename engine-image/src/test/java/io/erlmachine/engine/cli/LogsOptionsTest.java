package io.erlmachine.engine.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import org.junit.jupiter.api.Test;

class LogsOptionsTest {
  private static final Clock NOW = Clock.fixed(Instant.parse("2026-01-01T12:00:00Z"), ZoneOffset.UTC);

  @Test
  void withoutANamespaceOrKubeconfigTheMachineIsLookedForLocally() {
    LogsOptions options = LogsOptions.parse(new String[] {"gateway", "--port", "18190"}, NOW);
    assertThat(options.onCluster()).isFalse();
    assertThat(options.machine()).isEqualTo("gateway");
    assertThat(options.port()).isEqualTo(18190);
    assertThat(options.tail()).isEqualTo(100);
    assertThat(options.follow()).isFalse();
    assertThat(options.since()).isNull();
  }

  @Test
  void aNamespaceKubeconfigOrContextMeansTheCluster() {
    assertThat(LogsOptions.parse(new String[] {"-n", "demo", "catalog", "-f"}, NOW))
        .extracting(LogsOptions::onCluster, LogsOptions::namespace, LogsOptions::follow).containsExactly(true, "demo", true);
    assertThat(LogsOptions.parse(new String[] {"catalog", "--kubeconfig", "/tmp/k"}, NOW).onCluster()).isTrue();
    assertThat(LogsOptions.parse(new String[] {"catalog", "--context", "prod"}, NOW).onCluster()).isTrue();
  }

  @Test
  void sinceTakesADurationAgoOrATime() {
    assertThat(LogsOptions.parse(new String[] {"m", "--since", "10m"}, NOW).since()).isEqualTo("2026-01-01T11:50:00Z");
    assertThat(LogsOptions.parse(new String[] {"m", "--since", "90s"}, NOW).since()).isEqualTo("2026-01-01T11:58:30Z");
    assertThat(LogsOptions.parse(new String[] {"m", "--since", "2h"}, NOW).since()).isEqualTo("2026-01-01T10:00:00Z");
    assertThat(LogsOptions.parse(new String[] {"m", "--since", "1d"}, NOW).since()).isEqualTo("2025-12-31T12:00:00Z");
    assertThat(LogsOptions.parse(new String[] {"m", "--since", "2026-01-01T09:30:00Z"}, NOW).since()).isEqualTo("2026-01-01T09:30:00Z");
  }

  @Test
  void badArgumentsSayWhatIsWrong() {
    assertThatThrownBy(() -> LogsOptions.parse(new String[] {}, NOW)).isInstanceOf(CliProblem.class).hasMessageContaining("which machine?")
        .extracting(e -> ((CliProblem) e).exitCode()).isEqualTo(CliProblem.USAGE);
    assertThatThrownBy(() -> LogsOptions.parse(new String[] {"m", "--since", "yesterday"}, NOW)).hasMessageContaining("--since takes");
    assertThatThrownBy(() -> LogsOptions.parse(new String[] {"m", "--tail", "0"}, NOW)).hasMessageContaining("--tail takes a number");
    assertThatThrownBy(() -> LogsOptions.parse(new String[] {"m", "-n"}, NOW)).hasMessageContaining("-n needs a value");
    assertThatThrownBy(() -> LogsOptions.parse(new String[] {"m", "--verbose"}, NOW)).hasMessageContaining("unknown option --verbose");
    assertThatThrownBy(() -> LogsOptions.parse(new String[] {"a", "b"}, NOW)).hasMessageContaining("one machine at a time");
  }

  @Test
  void aRecordIsPrintedWithTimeLevelGearAndMessage() throws Exception {
    ObjectMapper json = new ObjectMapper();
    assertThat(LogPrinter.format(json.readTree("{\"sequence\": 3, \"at\": \"2026-01-01T10:00:00.120Z\", \"level\": \"WARN\","
        + " \"gearbox\": \"billing\", \"gear\": \"totals\", \"message\": \"no amount\"}")))
        .isEqualTo("2026-01-01T10:00:00.120Z WARN  [billing/totals] no amount");
    assertThat(LogPrinter.format(json.readTree("{\"sequence\": 4, \"at\": \"2026-01-01T10:00:01Z\", \"level\": \"INFO\","
        + " \"gearbox\": null, \"gear\": null, \"message\": \"config m.yaml applied\"}")))
        .isEqualTo("2026-01-01T10:00:01Z INFO  config m.yaml applied");
  }
}
