package io.erlmachine.engine.cli;

import com.fasterxml.jackson.databind.JsonNode;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.jdkhttp.JdkHttpClientFactory;
import java.io.PrintStream;
import java.time.Clock;
import java.time.Duration;

/**
 * {@code erlmachine logs MACHINE}: one machine's own recent log lines, from the local engine host
 * or from the cluster, and with {@code --follow} the lines it writes from then on (polled once a
 * second by sequence number, so each line is printed once and lines dropped in between are counted).
 */
public final class LogsCommand {
  static final Duration FOLLOW_INTERVAL = Duration.ofSeconds(1);
  private static final int PAGE = 1000;

  private final LogsOptions options;
  private final PrintStream out;

  LogsCommand(LogsOptions options, PrintStream out) {
    this.options = options;
    this.out = out;
  }

  public static void main(String[] args) {
    try {
      new LogsCommand(LogsOptions.parse(args, Clock.systemUTC()), System.out).run();
      System.exit(0);
    } catch (CliProblem problem) {
      System.err.println("erlmachine logs: " + problem.getMessage());
      System.exit(problem.exitCode());
    }
  }

  void run() {
    String token = System.getenv("ERLMACHINE_CONTROL_TOKEN");
    if (!options.onCluster()) {
      print(LocalMachineEndpoint.find(options.machine(), options.port(), token));
      return;
    }
    try (KubernetesClient client = client()) {
      String namespace = options.namespace() != null ? options.namespace()
          : java.util.Objects.requireNonNullElse(client.getNamespace(), "default");
      try (MachineEndpoint endpoint = ClusterMachineEndpoint.open(client, namespace, options.machine())) {
        print(endpoint);
      }
    }
  }

  private void print(MachineEndpoint endpoint) {
    LogReader reader = new LogReader(endpoint);
    LogPrinter printer = new LogPrinter(out);
    long last;
    if (options.since() == null) {
      JsonNode newest = reader.page(null, options.tail());
      last = printer.print(newest, 0);
      last = Math.max(last, newest.path("latest").asLong());
    } else {
      last = printer.print(reader.page(options.since().toString(), PAGE), 0);
      last = drain(reader, printer, last);
    }
    while (options.follow()) {
      sleep();
      last = drain(reader, printer, last);
    }
  }

  /** Prints every line after {@code last}, page by page; returns the last one printed. */
  private long drain(LogReader reader, LogPrinter printer, long last) {
    while (true) {
      JsonNode page = reader.page(Long.toString(last), PAGE);
      if (page.path("latest").asLong() < last) {
        out.println("... the machine started again; its log starts anew");
        last = 0;
        continue;
      }
      long printed = printer.print(page, last);
      if (page.path("records").size() < PAGE) {
        return printed;
      }
      last = printed;
    }
  }

  private KubernetesClient client() {
    if (options.kubeconfig() != null) {
      System.setProperty(Config.KUBERNETES_KUBECONFIG_FILE, options.kubeconfig());
    }
    Config config = Config.autoConfigure(options.context());
    return new KubernetesClientBuilder().withConfig(config).withHttpClientFactory(new JdkHttpClientFactory()).build();
  }

  private static void sleep() {
    try {
      Thread.sleep(FOLLOW_INTERVAL);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw CliProblem.failed("interrupted");
    }
  }
}
