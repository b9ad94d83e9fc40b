package io.erlmachine.engine.cli;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The arguments of {@code erlmachine logs}. Without {@code -n}, {@code --kubeconfig} or
 * {@code --context} the machine is looked for on the local engine host ({@code erlmachine local},
 * at {@code --port}); with any of them, on the cluster.
 *
 * @param machine   the machine's name, or namespace/name in local mode
 * @param since     an ISO-8601 time: lines at or after it; null for the newest {@code tail} lines
 * @param tail      how many of the newest lines to show first when there is no {@code since}
 */
public record LogsOptions(String machine, boolean follow, Instant since, int tail, int port, String namespace, String kubeconfig,
                          String context) {
  static final String USAGE = """
      usage: erlmachine logs MACHINE [-f|--follow] [--since 10m|2026-01-01T10:00:00Z] [--tail N]
                                     [-n NAMESPACE] [--kubeconfig FILE] [--context NAME] [--port PORT]
        On the local engine host (./erlmachine local, --port as given there, default 8080) MACHINE is name or namespace/name.
        With -n, --kubeconfig or --context: the Machine of that namespace on the cluster (the namespace defaults to the context's).""";
  private static final Pattern DURATION = Pattern.compile("(\\d+)(s|m|h|d)");
  private static final int DEFAULT_TAIL = 100;

  /** Whether the machine is on a cluster rather than on the local engine host. */
  public boolean onCluster() {
    return namespace != null || kubeconfig != null || context != null;
  }

  public static LogsOptions parse(String[] args, Clock clock) {
    String machine = null;
    boolean follow = false;
    Instant since = null;
    int tail = DEFAULT_TAIL;
    int port = 8080;
    String namespace = null;
    String kubeconfig = null;
    String context = null;
    for (int i = 0; i < args.length; i++) {
      String arg = args[i];
      switch (arg) {
        case "-f", "--follow" -> follow = true;
        case "--since" -> since = since(value(args, ++i, arg), clock);
        case "--tail" -> tail = number(value(args, ++i, arg), arg, 1, 10_000);
        case "--port" -> port = number(value(args, ++i, arg), arg, 1, 65_535);
        case "-n", "--namespace" -> namespace = value(args, ++i, arg);
        case "--kubeconfig" -> kubeconfig = value(args, ++i, arg);
        case "--context" -> context = value(args, ++i, arg);
        case "-h", "--help" -> throw CliProblem.usage(USAGE);
        default -> {
          if (arg.startsWith("-")) {
            throw CliProblem.usage("unknown option " + arg + "\n" + USAGE);
          }
          if (machine != null) {
            throw CliProblem.usage("one machine at a time: " + machine + " and " + arg + "\n" + USAGE);
          }
          machine = arg;
        }
      }
    }
    if (machine == null) {
      throw CliProblem.usage("which machine?\n" + USAGE);
    }
    return new LogsOptions(machine, follow, since, tail, port, namespace, kubeconfig, context);
  }

  /** {@code 90s}, {@code 10m}, {@code 2h}, {@code 1d} ago, or an ISO-8601 time. */
  static Instant since(String value, Clock clock) {
    Matcher duration = DURATION.matcher(value);
    if (duration.matches()) {
      long amount = Long.parseLong(duration.group(1));
      Duration ago = switch (duration.group(2)) {
        case "s" -> Duration.ofSeconds(amount);
        case "m" -> Duration.ofMinutes(amount);
        case "h" -> Duration.ofHours(amount);
        default -> Duration.ofDays(amount);
      };
      return clock.instant().minus(ago);
    }
    try {
      return Instant.parse(value);
    } catch (DateTimeParseException e) {
      throw CliProblem.usage("--since takes a duration (90s, 10m, 2h, 1d) or an ISO-8601 time (2026-01-01T10:00:00Z), not " + value);
    }
  }

  private static String value(String[] args, int index, String option) {
    if (index >= args.length) {
      throw CliProblem.usage(option + " needs a value\n" + USAGE);
    }
    return args[index];
  }

  private static int number(String value, String option, int min, int max) {
    try {
      int number = Integer.parseInt(value);
      if (number >= min && number <= max) {
        return number;
      }
    } catch (NumberFormatException e) {
      // said below
    }
    throw CliProblem.usage(option + " takes a number from " + min + " to " + max + ", not " + value);
  }
}
