package io.erlmachine.engine.host.cluster;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A TCP relay on loopback between a host and the API server, with a kubeconfig that points at it: cutting it is a
 * host losing touch with the API server (every connection closed, new ones refused) while the API server stays up
 * for everyone else.
 */
final class ApiProxy implements AutoCloseable {
  private static final Pattern SERVER = Pattern.compile("server: https://127\\.0\\.0\\.1:(\\d+)");

  private final ServerSocket listener;
  private final int upstreamPort;
  private final List<Socket> sockets = new CopyOnWriteArrayList<>();
  final Path kubeconfig;

  ApiProxy(Path kubeconfig) throws IOException {
    String text = Files.readString(kubeconfig);
    Matcher server = SERVER.matcher(text);
    if (!server.find()) {
      throw new IllegalStateException("the test cluster's kubeconfig does not name an API server on 127.0.0.1");
    }
    upstreamPort = Integer.parseInt(server.group(1));
    listener = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
    this.kubeconfig = Files.createTempFile(Path.of("target"), "kubeconfig-via-proxy", ".yaml").toAbsolutePath();
    Files.writeString(this.kubeconfig, server.replaceAll("server: https://127.0.0.1:" + listener.getLocalPort()));
    Thread.ofPlatform().daemon().name("api-proxy").start(this::accept);
  }

  private void accept() {
    try {
      while (true) {
        Socket client = listener.accept();
        Socket upstream = new Socket(InetAddress.getLoopbackAddress(), upstreamPort);
        sockets.add(client);
        sockets.add(upstream);
        Thread.ofPlatform().daemon().start(() -> pump(client, upstream));
        Thread.ofPlatform().daemon().start(() -> pump(upstream, client));
      }
    } catch (IOException e) {
      // cut
    }
  }

  private static void pump(Socket from, Socket to) {
    try (InputStream in = from.getInputStream(); OutputStream out = to.getOutputStream()) {
      in.transferTo(out);
    } catch (IOException e) {
      // one side closed
    } finally {
      close(from);
      close(to);
    }
  }

  /** Closes every connection and refuses new ones. */
  void cut() {
    close(listener);
    sockets.forEach(ApiProxy::close);
  }

  private static void close(AutoCloseable closeable) {
    try {
      closeable.close();
    } catch (Exception e) {
      // already closed
    }
  }

  @Override
  public void close() {
    cut();
    try {
      Files.deleteIfExists(kubeconfig);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
