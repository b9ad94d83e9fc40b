package io.erlmachine.engine.app;

import io.erlmachine.engine.host.EngineHost;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.interceptor.Interceptor;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.jboss.logging.Logger;

/**
 * Reloads machines whose config files change. It compares each file's size and modification
 * time rather than watching file events, because Kubernetes updates a mounted ConfigMap by
 * swapping a symbolic link, and a host's directory may hold thousands of files.
 */
@ApplicationScoped
public class ConfigWatcher {
  private static final Logger LOG = Logger.getLogger(ConfigWatcher.class);
  private final EngineHost host;
  private ScheduledExecutorService timer;

  ConfigWatcher(EngineHost host) {
    this.host = host;
  }

  void start(@Observes @Priority(Interceptor.Priority.APPLICATION + 600) StartupEvent event) {
    if (!host.hasConfig() || host.settings().host().cluster().enabled()) {
      return; // a cluster host reloads on every ConfigMap event instead
    }
    long every = host.settings().reloadCheckInterval().toMillis();
    timer = Executors.newSingleThreadScheduledExecutor(r -> {
      Thread thread = new Thread(r, "erlmachine-config-watcher");
      thread.setDaemon(true);
      return thread;
    });
    timer.scheduleWithFixedDelay(this::check, every, every, TimeUnit.MILLISECONDS);
  }

  void stop(@Observes ShutdownEvent event) {
    if (timer != null) {
      timer.shutdownNow();
    }
  }

  private void check() {
    try {
      host.reloadChanged();
    } catch (RuntimeException e) {
      LOG.errorf(e, "checking the machine configs failed");
    }
  }
}
