package io.erlmachine.engine.host;

import io.erlmachine.api.config.MachineConfig;
import io.vertx.core.Handler;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.net.SocketAddress;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * The listeners of a host's machines: one HTTP server per machine, on the machine's own
 * address and port, all handing requests to the engine's one router. Which machine a request
 * is for is told by the address and port it arrived at, so every machine keeps the same paths
 * and the same API as an engine of its own.
 */
final class MachineListeners {
  private static final long BIND_TIMEOUT_SECONDS = 10;

  private final Vertx vertx;
  private final Handler<HttpServerRequest> router;
  private final Map<MachineConfig.Listener, Bound> bound = new ConcurrentHashMap<>();

  private record Bound(String machine, HttpServer server) {
  }

  MachineListeners(Vertx vertx, Handler<HttpServerRequest> router) {
    this.vertx = vertx;
    this.router = router;
  }

  /** Starts listening for a machine; throws with the reason when the address cannot be used. */
  void bind(String machine, MachineConfig.Listener listener) {
    HttpServer server = vertx.createHttpServer(new HttpServerOptions().setHost(listener.address()).setPort(listener.port())
        .setReuseAddress(true));
    try {
      server.requestHandler(router).listen().toCompletionStage().toCompletableFuture().get(BIND_TIMEOUT_SECONDS, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while listening on " + describe(listener), e);
    } catch (Exception e) {
      Throwable cause = e.getCause() == null ? e : e.getCause();
      throw new IllegalStateException("cannot listen on " + describe(listener) + ": " + cause.getMessage(), cause);
    }
    bound.put(listener, new Bound(machine, server));
  }

  void unbind(MachineConfig.Listener listener) {
    Bound gone = bound.remove(listener);
    if (gone != null) {
      try {
        gone.server().close().toCompletionStage().toCompletableFuture().get(BIND_TIMEOUT_SECONDS, TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      } catch (Exception e) {
        // Closing a listener that failed is as good as closed.
      }
    }
  }

  /** The machine listening where a request arrived, or null when it arrived at the host's own port. */
  String machineAt(SocketAddress local) {
    if (local == null || bound.isEmpty()) {
      return null;
    }
    Bound exact = bound.get(new MachineConfig.Listener(local.hostAddress(), local.port()));
    if (exact != null) {
      return exact.machine();
    }
    Bound wildcard = bound.get(new MachineConfig.Listener("0.0.0.0", local.port()));
    return wildcard == null ? null : wildcard.machine();
  }

  /** The machine that already listens at an address and port, or null. */
  String holder(MachineConfig.Listener listener) {
    Bound holder = bound.get(listener);
    return holder == null ? null : holder.machine();
  }

  void closeAll() {
    bound.keySet().forEach(this::unbind);
  }

  static String describe(MachineConfig.Listener listener) {
    return listener.address() + ":" + listener.port();
  }
}
