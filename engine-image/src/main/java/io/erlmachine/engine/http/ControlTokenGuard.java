package io.erlmachine.engine.http;

import io.erlmachine.engine.app.EngineSettings;
import io.quarkus.runtime.StartupEvent;
import io.vertx.core.http.HttpMethod;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * With a control token set, a request that changes a machine (reload, restart, clutch, self-test
 * runs: every method but GET and HEAD) needs {@code Authorization: Bearer <token>}, at every
 * listener of the engine, and so does reading a machine's log, whose lines can carry what its
 * gears handle. Messages and batches stay open: clients and other machines' engines send them,
 * and the NetworkPolicy decides who may. Without a token nothing is checked.
 */
@ApplicationScoped
public class ControlTokenGuard {
  static final String SECRET = "erlmachine-host-control";
  private static final Set<HttpMethod> READING = Set.of(HttpMethod.GET, HttpMethod.HEAD);
  private static final Pattern MESSAGES = Pattern.compile("/api/v1/gearboxes/[^/]+/gears/[^/]+/(messages|batches)");
  /** Reads that need the token all the same; lenient about slashes, case and matrix parameters, as routing may be. */
  private static final Pattern GUARDED_READS = Pattern.compile("/+api/+v1/+logs(?:[/;].*)?", Pattern.CASE_INSENSITIVE);
  private static final String BEARER = "bearer ";
  private static final String HOW_TO_GET_IT = "; the token is in the Secret " + SECRET + " of the machine's namespace: kubectl get secret "
      + SECRET + " -n <namespace> -o jsonpath='{.data.token}' | base64 -d";

  private final Optional<byte[]> tokenDigest;

  ControlTokenGuard(EngineSettings settings) {
    this.tokenDigest = settings.controlToken().map(String::strip).filter(token -> !token.isEmpty()).map(ControlTokenGuard::digest);
  }

  void install(@Observes Router router) {
    tokenDigest.ifPresent(expected -> router.route().order(-200).handler(context -> {
      if (open(context) || authorized(context.request().getHeader("Authorization"), expected)) {
        context.next();
        return;
      }
      context.response().putHeader("WWW-Authenticate", "Bearer realm=\"erlmachine-engine\"");
      String what = READING.contains(context.request().method()) ? " reads the machine's log" : " changes the machine";
      new ErrorBody(401, "Unauthorized", context.request().method() + " " + context.normalizedPath()
          + what + " and needs the header Authorization: Bearer <control token>" + HOW_TO_GET_IT, List.of())
          .endWith(context.response());
    }));
  }

  void ignore(@Observes StartupEvent event) {
    // Makes the bean eager so the route exists before the first request.
  }

  /** Reads but the log, and messages from clients and other machines; matched on the path the router routes by. */
  private static boolean open(RoutingContext context) {
    HttpMethod method = context.request().method();
    String path = context.normalizedPath();
    return READING.contains(method) && !GUARDED_READS.matcher(path).matches()
        || method == HttpMethod.POST && MESSAGES.matcher(path).matches();
  }

  /** Compares digests, so neither the token's content nor its length shows in how long a refusal takes. */
  static boolean authorized(String header, byte[] expectedDigest) {
    if (header == null || header.length() <= BEARER.length() || !header.regionMatches(true, 0, BEARER, 0, BEARER.length())) {
      return false;
    }
    return MessageDigest.isEqual(expectedDigest, digest(header.substring(BEARER.length()).strip()));
  }

  static byte[] digest(String token) {
    try {
      return MessageDigest.getInstance("SHA-256").digest(token.getBytes(StandardCharsets.UTF_8));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is part of every Java runtime", e);
    }
  }
}
