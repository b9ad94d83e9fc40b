package io.erlmachine.engine.http;

import io.erlmachine.engine.host.EngineHost;
import io.erlmachine.engine.host.HostedMachine;
import io.quarkus.runtime.StartupEvent;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

/**
 * The readiness probe at a machine's own listener answers for that machine alone, in the shape
 * of the engine's health endpoint; at the engine's own port the health checks answer as usual.
 */
@ApplicationScoped
public class MachineProbes {
  private final EngineHost host;

  MachineProbes(EngineHost host) {
    this.host = host;
  }

  void install(@Observes Router router) {
    router.route(HttpMethod.GET, "/q/health/ready").order(-100).handler(context -> {
      if (host.atHostPort(context.request())) {
        context.next();
        return;
      }
      HostedMachine machine = host.serving(context.request());
      boolean ready = machine != null && machine.runtime().ready();
      String name = machine == null ? "machine" : "machine " + machine.key();
      JsonObject body = new JsonObject().put("status", ready ? "UP" : "DOWN")
          .put("checks", new JsonArray().add(new JsonObject().put("name", name).put("status", ready ? "UP" : "DOWN")));
      context.response().setStatusCode(ready ? 200 : 503).putHeader("Content-Type", "application/json").end(body.encodePrettily());
    });
  }

  void ignore(@Observes StartupEvent event) {
    // Makes the bean eager so the route exists before the first request.
  }
}
