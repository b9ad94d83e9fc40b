package io.erlmachine.engine.host.cluster;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;

/**
 * Where a machine's gear reports each message it handled (POST {"n": ...}), outside the host process, so the count
 * survives the host. Each answer takes a few milliseconds, so the gear falls behind its senders and its mailbox fills.
 */
final class MessageRecorder implements AutoCloseable {
  private static final ObjectMapper JSON = new ObjectMapper();
  private final HttpServer server;
  private final Set<Long> handled = ConcurrentHashMap.newKeySet();

  MessageRecorder(long millisPerMessage) throws IOException {
    server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 64);
    server.setExecutor(Executors.newFixedThreadPool(4, Thread.ofPlatform().daemon().name("recorder-", 0).factory()));
    server.createContext("/handled", exchange -> {
      try (InputStream body = exchange.getRequestBody()) {
        handled.add(JSON.readTree(body).path("n").asLong());
        Thread.sleep(millisPerMessage);
        exchange.sendResponseHeaders(200, -1);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        exchange.sendResponseHeaders(500, -1);
      } finally {
        exchange.close();
      }
    });
    server.start();
  }

  int port() {
    return server.getAddress().getPort();
  }

  /** The message numbers handled so far. */
  Set<Long> handled() {
    return Set.copyOf(handled);
  }

  @Override
  public void close() {
    server.stop(0);
  }
}
