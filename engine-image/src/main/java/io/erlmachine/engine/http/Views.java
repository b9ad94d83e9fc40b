package io.erlmachine.engine.http;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.erlmachine.engine.host.Reload;
import io.erlmachine.engine.machine.GearboxRuntime;
import io.erlmachine.engine.runtime.DeadLetters;
import io.erlmachine.engine.runtime.GearCell;
import io.erlmachine.engine.runtime.GearCounters;
import io.erlmachine.engine.runtime.Hop;
import io.erlmachine.engine.selftest.SelfTestResult;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/** What the REST API shows: plain JSON views of the running machine. */
public final class Views {
  private Views() {
  }

  /** The machine and how it runs. */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public record MachineView(String name, String namespace, long serial, String dnsName, String clutch, boolean ready,
                            CompilerView compiler, Reload lastReload, List<GearboxSummary> gearboxes,
                            long deadLetters) {
  }

  /** Whether JavaScript is compiled. */
  public record CompilerView(boolean active, String runtime) {
  }

  /** A gearbox in the machine view. */
  public record GearboxSummary(String name, String phase, int gears) {
  }

  /** A gearbox with its gears and self-test results. */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public record GearboxView(String name, String phase, String clutch, List<GearView> gears, SelfTestsView selfTests) {
    static GearboxView of(GearboxRuntime gearbox) {
      GearboxRuntime.SelfTestRun run = gearbox.selfTests();
      return new GearboxView(gearbox.name(), gearbox.phase().name(), gearbox.engaged() ? "Engaged" : "Disengaged",
          gearbox.cells().values().stream().map(GearView::of).toList(),
          run == null ? null : new SelfTestsView(run.finishedAt(), run.passed(), run.results()));
    }
  }

  /** A gear with its counters. */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public record GearView(String name, String prototype, String status, String lastFailure, List<String> outputs,
                         GearCounters counters) {
    static GearView of(GearCell cell) {
      return new GearView(cell.id().gear(), cell.definition().prototype(), cell.status().name(), cell.lastFailure(),
          cell.outputNames(), cell.counters());
    }
  }

  /** The latest self-test run of a gearbox. */
  public record SelfTestsView(Instant finishedAt, boolean passed, List<SelfTestResult> results) {
  }

  /** What became of a message sent to a gear. */
  public record Accepted(String tracking, String outcome) {
  }

  /** The hops of one tracking number in this machine (or, followed, across machines). */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public record TrackView(String tracking, String machine, List<Hop> hops, List<String> unreachable) {
  }

  /** Recent dead letters and how many there have been in all. */
  public record DeadLettersView(long total, List<DeadLetterView> recent) {
  }

  /** One dead letter. */
  public record DeadLetterView(long sequence, Instant at, String gearbox, String gear, String reason, String tracking,
                               Map<String, String> headers, String body) {
    static DeadLetterView of(DeadLetters.DeadLetter letter) {
      return new DeadLetterView(letter.sequence(), letter.at(), letter.gearbox(), letter.gear(), letter.reason(),
          letter.message().tracking(), letter.message().headers(), letter.message().body());
    }
  }

  /** How much of a batch from another machine was handled, from its start. */
  public record BatchResult(int handled, int duplicates, int deadLettered) {
  }

  /** A clutch position. */
  public record Clutch(String clutch) {
  }
}
