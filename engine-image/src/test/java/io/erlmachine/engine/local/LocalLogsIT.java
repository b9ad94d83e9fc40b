package io.erlmachine.engine.local;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** ./erlmachine logs against the orders example in local mode, as a user runs it: each machine's own lines. */
class LocalLogsIT {
  private static final int PORT = 18350;
  private static LocalModeProcess local;

  @BeforeAll
  static void startLocalMode() throws IOException {
    local = new LocalModeProcess("orders", PORT, 4);
  }

  @AfterAll
  static void stop() throws InterruptedException {
    if (local != null) {
      local.close();
    }
  }

  @Test
  void aMachinesLogHasItsOwnLinesAndNotItsNeighbours() throws Exception {
    local.post("default/gateway", "/api/v1/gearboxes/intake/gears/orders/messages", "{\"id\": 7301, \"total\": 12.5, \"country\": \"DE\"}");
    await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofSeconds(1))
        .until(() -> logs("gateway", "--port", Integer.toString(PORT)).stdout().contains("\"id\":7301"));
    Run gateway = logs("gateway", "--port", Integer.toString(PORT), "--tail", "1000");
    assertThat(gateway.exit()).as(gateway.stderr()).isZero();
    assertThat(gateway.stdout()).contains("INFO  started (serial " + local.serials.get("default/gateway") + ")")
        .containsPattern("\\d{4}-\\d\\d-\\d\\dT\\S+Z INFO  \\[intake/audit\\] \\S+ \\{\\} \\{.*\"id\":7301")
        .doesNotContain("[archive/").doesNotContain("beat-log").doesNotContain("catalog.mjs");

    await().atMost(Duration.ofSeconds(40)).pollInterval(Duration.ofSeconds(2))
        .until(() -> logs("default/archive", "--port", Integer.toString(PORT)).stdout().contains("[archive/beat-log]"));
    assertThat(logs("default/archive", "--port", Integer.toString(PORT)).stdout()).doesNotContain("[intake/").doesNotContain("7301");
  }

  @Test
  void followPrintsNewLinesAsTheyAreWritten() throws Exception {
    Path out = Files.createTempFile(Path.of("target"), "logs-follow", ".txt");
    Process follow = command("gateway", "--port", Integer.toString(PORT), "--follow", "--tail", "1")
        .redirectOutput(out.toFile()).redirectError(ProcessBuilder.Redirect.INHERIT).start();
    try {
      await().atMost(Duration.ofSeconds(60)).until(() -> !Files.readString(out).isBlank());
      for (int id = 7401; id <= 7403; id++) {
        local.post("default/gateway", "/api/v1/gearboxes/intake/gears/orders/messages", "{\"id\": " + id + ", \"total\": 1}");
      }
      await().atMost(Duration.ofSeconds(30)).until(() -> Files.readString(out).contains("\"id\":7403"));
      List<String> lines = Files.readAllLines(out);
      assertThat(lines.stream().filter(l -> l.contains("\"id\":74")).toList()).as("each line once, in order").hasSize(3)
          .satisfiesExactly(l -> assertThat(l).contains("7401"), l -> assertThat(l).contains("7402"), l -> assertThat(l).contains("7403"));
      assertThat(follow.isAlive()).as("--follow keeps following").isTrue();
    } finally {
      follow.destroy();
      follow.waitFor(20, TimeUnit.SECONDS);
    }
  }

  @Test
  void anUnknownMachineOrNoHostIsSaidClearly() throws Exception {
    Run unknown = logs("nope", "--port", Integer.toString(PORT));
    assertThat(unknown.exit()).isEqualTo(1);
    assertThat(unknown.stderr()).contains("no machine nope runs on the local engine host at 127.0.0.1:" + PORT)
        .contains("default/archive, default/catalog, default/gateway, default/validator-1");
    Run noHost = logs("gateway", "--port", "18359");
    assertThat(noHost.exit()).isEqualTo(1);
    assertThat(noHost.stderr()).contains("no local engine host answers at 127.0.0.1:18359").contains("./erlmachine local");
    Run usage = logs();
    assertThat(usage.exit()).isEqualTo(2);
    assertThat(usage.stderr()).contains("which machine?").contains("usage: erlmachine logs MACHINE");
  }

  private record Run(int exit, String stdout, String stderr) {
  }

  private static Run logs(String... args) throws Exception {
    Process process = command(args).start();
    byte[] stdout = process.getInputStream().readAllBytes();
    byte[] stderr = process.getErrorStream().readAllBytes();
    assertThat(process.waitFor(60, TimeUnit.SECONDS)).isTrue();
    return new Run(process.exitValue(), new String(stdout, StandardCharsets.UTF_8), new String(stderr, StandardCharsets.UTF_8));
  }

  private static ProcessBuilder command(String... args) {
    Path root = Path.of(System.getProperty("erlmachine.repo.root"));
    List<String> command = new java.util.ArrayList<>(List.of("bash", root.resolve("erlmachine").toString(), "logs"));
    command.addAll(List.of(args));
    return new ProcessBuilder(command);
  }
}
