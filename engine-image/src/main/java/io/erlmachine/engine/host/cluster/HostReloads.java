package io.erlmachine.engine.host.cluster;

import io.erlmachine.engine.host.EngineHost;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.jboss.logging.Logger;

/**
 * Reloads the host on its own thread whenever a config changes, so neither the informer nor the Lease waits for
 * machines to start. Requests that arrive while a reload runs are folded into one more reload.
 */
final class HostReloads implements AutoCloseable {
  private static final Logger LOG = Logger.getLogger(HostReloads.class);

  private final EngineHost host;
  private final MachineGenerations generations;
  private final AtomicBoolean pending = new AtomicBoolean();
  private final ExecutorService thread = Executors.newSingleThreadExecutor(Thread.ofPlatform().daemon().name("erlmachine-host-reload").factory());

  HostReloads(EngineHost host, MachineGenerations generations) {
    this.host = host;
    this.generations = generations;
  }

  void request() {
    if (pending.compareAndSet(false, true)) {
      thread.execute(this::reload);
    }
  }

  private void reload() {
    pending.set(false);
    try {
      host.reloadChanged();
      generations.afterReload(host.state());
    } catch (RuntimeException e) {
      LOG.errorf(e, "reloading the machine configs failed");
    }
  }

  @Override
  public void close() {
    thread.shutdownNow();
    try {
      thread.awaitTermination(10, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
