package io.erlmachine.engine.app;

import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.jboss.logging.Logger;

/**
 * Reloads the machine when its config file changes. It compares contents rather than watching
 * file events, because Kubernetes updates a mounted ConfigMap by swapping a symbolic link.
 */
@ApplicationScoped
public class ConfigWatcher {
  private static final Logger LOG = Logger.getLogger(ConfigWatcher.class);
  private final Engine engine;
  private ScheduledExecutorService timer;
  private byte[] lastSeen;

  ConfigWatcher(Engine engine) {
    this.engine = engine;
  }

  void start(@Observes @Priority(jakarta.interceptor.Interceptor.Priority.APPLICATION + 10) StartupEvent event) {
    if (engine.settings().configFile().isEmpty()) {
      return;
    }
    Path file = Path.of(engine.settings().configFile().get());
    lastSeen = read(file);
    long every = engine.settings().reloadCheckInterval().toMillis();
    timer = Executors.newSingleThreadScheduledExecutor(r -> {
      Thread thread = new Thread(r, "erlmachine-config-watcher");
      thread.setDaemon(true);
      return thread;
    });
    timer.scheduleWithFixedDelay(() -> check(file), every, every, TimeUnit.MILLISECONDS);
  }

  void stop(@Observes ShutdownEvent event) {
    if (timer != null) {
      timer.shutdownNow();
    }
  }

  private void check(Path file) {
    try {
      byte[] now = read(file);
      if (now != null && !Arrays.equals(now, lastSeen)) {
        lastSeen = now;
        LOG.infof("machine config %s changed; reloading", file);
        engine.reload();
      }
    } catch (RuntimeException e) {
      LOG.errorf(e, "checking machine config %s failed", file);
    }
  }

  private static byte[] read(Path file) {
    try {
      return Files.readAllBytes(file);
    } catch (IOException e) {
      return null;
    }
  }
}
