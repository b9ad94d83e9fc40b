package io.erlmachine.engine.js;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.erlmachine.engine.runtime.GearFailure;
import java.io.IOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * HTTP calls from gears, only to the hosts the machine's permissions allow (outboundHosts: a
 * host means ports 80 and 443, host:port one port). Synchronous, bounded in time and in the
 * size of the answer; the NetworkPolicy allows the same ports, the engine the host names.
 */
public final class OutboundHttp {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Set<String> METHODS = Set.of("GET", "POST", "PUT", "PATCH", "DELETE", "HEAD");
  private static final HttpClient CLIENT = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
      .connectTimeout(Duration.ofSeconds(2)).followRedirects(HttpClient.Redirect.NEVER).build();
  private final List<String> allowed;
  private final long maxResponseBytes;
  private final Duration timeout;

  public OutboundHttp(List<String> allowed, long maxResponseBytes, Duration timeout) {
    this.allowed = List.copyOf(allowed);
    this.maxResponseBytes = maxResponseBytes;
    this.timeout = timeout;
  }

  /** Makes the call; the answer is JSON text {status, headers, body}. */
  String call(String method, String url, String headersJson, String body) {
    URI uri = check(method, url);
    HttpRequest.Builder request = HttpRequest.newBuilder(uri).timeout(timeout)
        .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
    headers(headersJson).forEach(request::header);
    try {
      HttpResponse<byte[]> response = CLIENT.send(request.build(), HttpResponse.BodyHandlers.ofByteArray());
      if (response.body().length > maxResponseBytes) {
        throw new GearFailure("http: the answer from " + uri.getHost() + " has " + response.body().length
            + " bytes; the machine's message size limit is " + maxResponseBytes);
      }
      Map<String, Object> result = new LinkedHashMap<>();
      result.put("status", response.statusCode());
      Map<String, String> responseHeaders = new LinkedHashMap<>();
      response.headers().map().forEach((name, values) -> responseHeaders.put(name, String.join(",", values)));
      result.put("headers", responseHeaders);
      result.put("body", new String(response.body(), java.nio.charset.StandardCharsets.UTF_8));
      return JSON.writeValueAsString(result);
    } catch (IOException e) {
      throw new GearFailure("http: " + method + " " + uri + " failed: " + e.getClass().getSimpleName()
          + (e.getMessage() == null ? "" : " " + e.getMessage()));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new GearFailure("http: interrupted");
    }
  }

  private URI check(String method, String url) {
    if (!METHODS.contains(method)) {
      throw new GearFailure("http: method " + method + " is not one of " + METHODS);
    }
    URI uri;
    try {
      uri = new URI(url);
    } catch (URISyntaxException e) {
      throw new GearFailure("http: not a URL: " + url);
    }
    String scheme = uri.getScheme();
    if (!"http".equals(scheme) && !"https".equals(scheme) || uri.getHost() == null) {
      throw new GearFailure("http: only http and https URLs with a host, not " + url);
    }
    int port = uri.getPort() != -1 ? uri.getPort() : "https".equals(scheme) ? 443 : 80;
    String host = uri.getHost().toLowerCase(java.util.Locale.ROOT);
    boolean permitted = allowed.stream().anyMatch(entry -> entry.equalsIgnoreCase(host + ":" + port)
        || entry.equalsIgnoreCase(host) && (port == 80 || port == 443));
    if (!permitted) {
      throw new GearFailure("http: " + host + ":" + port + " is not in the machine's outboundHosts " + allowed);
    }
    return uri;
  }

  private static Map<String, String> headers(String json) {
    try {
      return JSON.readValue(json, new TypeReference<Map<String, String>>() { });
    } catch (JsonProcessingException e) {
      throw new GearFailure("http: headers must be an object of strings");
    }
  }
}
