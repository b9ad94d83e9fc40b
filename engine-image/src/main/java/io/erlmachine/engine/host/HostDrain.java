package io.erlmachine.engine.host;

import io.erlmachine.engine.app.EngineSettings;
import io.quarkus.runtime.ShutdownEvent;
import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.interceptor.Interceptor;
import java.time.Duration;
import java.util.Map;
import java.util.function.Supplier;
import org.jboss.logging.Logger;

/**
 * On SIGTERM (a rolling update, a drain, a deleted pod), before anything else stops: the engine takes no new messages
 * and finishes those it accepted (in mailboxes, being handled, emitted and not yet passed on, on their way to other
 * machines) within the drain timeout, and only then stops its machines and, as a cluster host, gives its Lease back.
 * Senders that are refused meanwhile get 503 ShuttingDown with Retry-After and keep their messages. An engine that had
 * nothing left still refuses for the drain minimum, so that machines sending to it see that answer, which tells them
 * the machine moves, rather than only the connection errors once it has stopped.
 */
@ApplicationScoped
public class HostDrain {
  private static final Logger LOG = Logger.getLogger(HostDrain.class);
  private static final Duration LOOK_EVERY = Duration.ofMillis(20);

  private final EngineHost host;
  private final EngineSettings settings;

  HostDrain(EngineHost host, EngineSettings settings) {
    this.host = host;
    this.settings = settings;
  }

  /** What a drain left: machines (namespace/name) with the messages they had not finished. */
  record Outcome(Duration took, Map<String, Integer> unfinished) {
    boolean complete() {
      return unfinished.isEmpty();
    }
  }

  // Before ClusterHost (which stops the machines and gives the Lease back) and EngineHost (which closes them).
  void drain(@Observes @Priority(Interceptor.Priority.APPLICATION - 100) ShutdownEvent event) {
    host.intake().close();
    long closed = System.nanoTime();
    finish();
    Duration refuseFor = stillRefusing(settings.drainMinimum(), Duration.ofNanos(System.nanoTime() - closed));
    if (refuseFor.isPositive()) {
      try {
        Thread.sleep(refuseFor);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      // What machines of this engine passed each other meanwhile (they may) is finished too, within the drain timeout.
      await(host::unfinished, stillRefusing(settings.drainTimeout(), Duration.ofNanos(System.nanoTime() - closed)));
    }
  }

  /** How much longer the engine refuses new messages after its drain took {@code drained}: the rest of the minimum. */
  static Duration stillRefusing(Duration minimum, Duration drained) {
    return drained.compareTo(minimum) >= 0 ? Duration.ZERO : minimum.minus(drained);
  }

  private void finish() {
    Map<String, Integer> before = host.unfinished();
    if (before.isEmpty()) {
      LOG.infof("shutting down: no new messages taken; every accepted message was already handled (refusing new ones for %d ms)",
          settings.drainMinimum().toMillis());
      return;
    }
    LOG.infof("shutting down: no new messages taken; finishing %d accepted messages of %d machines (at most %d ms)",
        before.values().stream().mapToInt(Integer::intValue).sum(), before.size(), settings.drainTimeout().toMillis());
    Outcome outcome = await(host::unfinished, settings.drainTimeout());
    if (outcome.complete()) {
      LOG.infof("drained in %d ms: every accepted message was handled", outcome.took().toMillis());
    } else {
      LOG.warnf("drain timeout of %d ms reached; messages not handled, by machine (they are dead-lettered as the machines stop): %s",
          settings.drainTimeout().toMillis(), outcome.unfinished());
    }
  }

  /** Waits until nothing is unfinished or the bound has passed. */
  static Outcome await(Supplier<Map<String, Integer>> unfinished, Duration bound) {
    long start = System.nanoTime();
    long deadline = start + bound.toNanos();
    Map<String, Integer> left = unfinished.get();
    while (!left.isEmpty() && System.nanoTime() - deadline < 0) {
      try {
        Thread.sleep(LOOK_EVERY);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        break;
      }
      left = unfinished.get();
    }
    return new Outcome(Duration.ofNanos(System.nanoTime() - start), left);
  }
}
