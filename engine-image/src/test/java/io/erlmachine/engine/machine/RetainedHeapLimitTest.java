package io.erlmachine.engine.machine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.erlmachine.api.config.MachineConfig;
import io.erlmachine.engine.TestConfigs;
import io.erlmachine.engine.TestConfigs.Gearbox;
import io.erlmachine.engine.js.JsPlatform;
import io.erlmachine.engine.logs.LogRecord;
import io.erlmachine.engine.runtime.DeadLetters.DeadLetter;
import io.erlmachine.engine.runtime.GearCell;
import io.erlmachine.engine.runtime.GearId;
import io.erlmachine.engine.runtime.LatencyRecorder;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Two machines on one host: one whose JavaScript keeps everything it is sent, one that keeps a steady amount. */
class RetainedHeapLimitTest {
  private static final long LIMIT = 16L << 20;
  private static final Duration PATIENCE = Duration.ofSeconds(60);
  /** Keeps a 64 KiB string per message in a module variable, and counts messages in gear.state. */
  private static final String HOARDER = """
      const kept = [];
      export function receive(message, gear) {
        kept.push('x'.repeat(65536) + message.body.n);
        gear.state.count = (gear.state.count || 0) + 1;
        return { n: message.body.n };
      }
      """;
  /** Keeps the last 20 messages of 64 KiB and throws 64 KiB away per message: it keeps about 1.3 MiB of its own. */
  private static final String STEADY = """
      const recent = [];
      export function receive(message, gear) {
        recent.push('y'.repeat(65536) + message.body.n);
        if (recent.length > 20) recent.shift();
        const garbage = 'z'.repeat(65536) + message.body.n;
        gear.state.count = (gear.state.count || 0) + 1;
        return { n: garbage.length };
      }
      """;
  private static JsPlatform platform;
  private HostResources host;
  private MachineRuntime hoarder;
  private MachineRuntime neighbour;

  @BeforeAll
  static void platform() {
    platform = new JsPlatform();
  }

  @AfterAll
  static void closePlatform() {
    platform.close();
  }

  @BeforeEach
  void start() {
    host = new HostResources(2, new HostBudgets.Totals(10_000, 100, 1 << 20, 10_000, 1 << 20, 1L << 30));
    MachineRuntime.Settings settings = new MachineRuntime.Settings(2, 256L << 20, 10_000, 100, 100, 80);
    hoarder = new MachineRuntime(platform, host, settings, id -> LatencyRecorder.NONE);
    neighbour = new MachineRuntime(platform, host, settings, id -> LatencyRecorder.NONE);
  }

  @AfterEach
  void stop() {
    hoarder.close();
    neighbour.close();
    host.close();
  }

  @Test
  void theMeterIsAvailableOnThisRuntime() {
    assertThat(platform.measuresRetainedHeap()).as("the context heap instrument is registered and supported").isTrue();
  }

  @Test
  void aGearThatKeepsEveryMessageIsResetAndItsNeighbourKeepsItsStateAndServes() throws Exception {
    hoarder.apply(machine("hoarder", 1, HOARDER, 5));
    neighbour.apply(machine("neighbour", 2, STEADY, 5));
    for (int i = 0; i < 50; i++) {
      send(neighbour, i);
    }
    await().atMost(PATIENCE).until(() -> processed(neighbour, "count") == 50);

    int sent = 0;
    while (failed(hoarder, "keep") == 0 && sent < 2000) {
      send(hoarder, sent++);
      send(neighbour, sent);
      int expected = sent;
      // One message at a time through the whole gearbox, so that the one that crossed the limit is known.
      await().atMost(PATIENCE).pollInterval(Duration.ofMillis(1))
          .until(() -> processed(hoarder, "count") == expected || failed(hoarder, "keep") > 0);
    }

    await().atMost(PATIENCE).until(() -> !hoarder.deadLetters().recent().isEmpty());
    assertThat(hoarder.deadLetters().total()).as("one message crossed the limit and was dead-lettered").isEqualTo(1);
    DeadLetter crossed = hoarder.deadLetters().recent().getFirst();
    assertThat(crossed.reason()).startsWith("exceeded a limit: retained heap ").contains("over 16.0 MiB");
    // 256 strings of 64 KiB fill 16 MiB: with the fresh context's 1.3 to 5.3 MiB the limit is crossed after 170 to 235
    // messages, and, as it keeps more than an eighth of what it allocates, it is found before it keeps twice the limit.
    assertThat(sent).as("messages until the limit was found").isBetween(170, 512);
    assertThat(crossed.message().body()).isEqualTo("{\"n\":" + (sent - 1) + "}");
    GearCell keep = hoarder.cell(new GearId("flow", "keep"));
    assertThat(keep.status()).isEqualTo(GearCell.Status.RUNNING);
    assertThat(keep.counters().restarts()).isEqualTo(1);
    assertThat(hoarder.retainedHeap().exceeded()).isEqualTo(1);
    assertThat(hoarder.log().ring().tail(100).records()).extracting(LogRecord::message)
        .anyMatch(line -> line.contains("restarted") && line.contains("exceeded a limit: retained heap"));

    send(hoarder, sent);
    await().atMost(PATIENCE).until(() -> keep.snapshot().get().equals("{\"count\":1}"));

    int neighbourSent = sent + 50;
    await().atMost(PATIENCE).until(() -> processed(neighbour, "count") == neighbourSent);
    assertThat(neighbour.cell(new GearId("flow", "keep")).snapshot().get())
        .as("the neighbour kept its state").isEqualTo("{\"count\":" + neighbourSent + "}");
    assertThat(neighbour.deadLetters().total()).isZero();
  }

  @Test
  void aGearWithSteadyStateIsMeasuredAndNeverFlagged() throws Exception {
    neighbour.apply(machine("steady", 2, STEADY, 5));
    for (int i = 0; i < 2000; i++) {
      send(neighbour, i);
      if (i % 500 == 499) {
        int sent = i + 1;
        await().atMost(PATIENCE).until(() -> processed(neighbour, "count") == sent);
      }
    }
    assertThat(neighbour.deadLetters().total()).isZero();
    assertThat(neighbour.retainedHeap().checks()).as("its 250 MiB of garbage got it measured").isGreaterThan(1);
    // It keeps 20 strings of 64 Ki characters (2.5 MiB as UTF-16) in a context that measures 1.3 to 5.3 MiB on its own,
    // depending on whether a collection has cleared the caches it holds weakly: 4 to 9 MiB, well below the limit.
    assertThat(neighbour.retainedHeap().retainedBytes()).isBetween(1L << 20, LIMIT * 3 / 4);
    assertThat(neighbour.retainedHeap().exceeded()).isZero();
  }

  @Test
  void crossingAgainAndAgainStopsTheGearByItsRestartPolicy() throws Exception {
    hoarder.apply(machine("hoarder", 1, HOARDER, 1));
    int sent = 0;
    GearCell keep = hoarder.cell(new GearId("flow", "keep"));
    while (keep.status() == GearCell.Status.RUNNING && sent < 4000) {
      send(hoarder, sent++);
      int expected = sent;
      await().atMost(PATIENCE).pollInterval(Duration.ofMillis(1))
          .until(() -> handled(hoarder, "keep") == expected || keep.status() != GearCell.Status.RUNNING);
    }
    assertThat(keep.status()).isEqualTo(GearCell.Status.STOPPED);
    await().atMost(PATIENCE).until(() -> keep.lastFailure().contains("restart policy"));
    assertThat(keep.lastFailure()).contains("retained heap");
    assertThat(hoarder.retainedHeap().exceeded()).isEqualTo(2);
    assertThat(hoarder.ready()).isFalse();
  }

  private static MachineConfig machine(String name, long serial, String code, int maxRestarts) {
    // A long message timeout: a cold first message on a busy computer must not crash the gear for another reason.
    MachineConfig base = TestConfigs.machine(new MachineConfig.Limits(1000, 1 << 20, 30_000, 10_000_000, 100, LIMIT), Map.of(),
        List.of(new Gearbox("flow").gear("in", "endpoint").js("keep", code).gear("count", "counter")
            .shaft("in", "keep").shaft("keep", "count").restarts(maxRestarts, 600_000).build()));
    return new MachineConfig(base.format(), new MachineConfig.Identity(name, "test", serial, name + ".test.svc.cluster.local"),
        base.clutch(), base.limits(), base.outboundHosts(), base.applicationData(), base.gearboxes(), base.routes());
  }

  private static void send(MachineRuntime machine, int n) {
    assertThat(machine.send("flow", "in", "{\"n\":" + n + "}", Map.of(), null).delivery()).isEqualTo(GearCell.Delivery.ACCEPTED);
  }

  private static long processed(MachineRuntime machine, String gear) {
    return machine.cell(new GearId("flow", gear)).counters().processed();
  }

  private static long failed(MachineRuntime machine, String gear) {
    return machine.cell(new GearId("flow", gear)).counters().failed();
  }

  /** Messages the gear finished, handled or failed. */
  private static long handled(MachineRuntime machine, String gear) {
    var counters = machine.cell(new GearId("flow", gear)).counters();
    return counters.processed() + counters.failed();
  }
}
