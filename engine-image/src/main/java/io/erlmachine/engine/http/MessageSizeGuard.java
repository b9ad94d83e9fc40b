package io.erlmachine.engine.http;

import io.erlmachine.engine.host.EngineHost;
import io.erlmachine.engine.host.HostedMachine;
import io.quarkus.runtime.StartupEvent;
import io.vertx.core.http.HttpMethod;
import io.vertx.ext.web.Router;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.util.List;

/**
 * Refuses a message larger than the machine's limit from its Content-Length, before a byte of
 * the body is read, so that a huge message costs the engine nothing.
 */
@ApplicationScoped
public class MessageSizeGuard {
  private final EngineHost host;

  MessageSizeGuard(EngineHost host) {
    this.host = host;
  }

  void install(@Observes Router router) {
    router.route(HttpMethod.POST, "/api/v1/gearboxes/:gearbox/gears/:gear/messages").order(-100).handler(context -> {
      String length = context.request().getHeader("Content-Length");
      long limit = limit(host.serving(context.request()));
      if (length != null && limit > 0 && parse(length) > limit) {
        new ErrorBody(413, "MessageTooLarge", "the message has " + length
            + " bytes; this machine's limit is " + limit + " (limits.maxMessageSize)", List.of()).endWith(context.response());
        return;
      }
      context.next();
    });
  }

  void ignore(@Observes StartupEvent event) {
    // Makes the bean eager so the route exists before the first request.
  }

  private static long limit(HostedMachine machine) {
    return machine == null || machine.runtime().config() == null ? 0 : machine.runtime().config().limits().maxMessageBytes();
  }

  private static long parse(String length) {
    try {
      return Long.parseLong(length.trim());
    } catch (NumberFormatException e) {
      return 0;
    }
  }
}
