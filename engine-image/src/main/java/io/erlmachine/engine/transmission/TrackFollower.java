package io.erlmachine.engine.transmission;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import io.erlmachine.engine.runtime.Hop;
import io.erlmachine.engine.runtime.Journal;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Deque;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * Follows a tracking number from machine to machine: starting from this machine's journal, it
 * asks every peer a SENT hop names for its hops of the same number, and so on, and returns the
 * whole path in time order. Peers that do not answer are listed, not fatal.
 */
public final class TrackFollower {
  private static final int MAX_MACHINES = 32;
  private static final ObjectMapper JSON = new ObjectMapper().registerModule(new JavaTimeModule());
  private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
  private final int peerPort;

  public TrackFollower(int peerPort) {
    this.peerPort = peerPort;
  }

  /** The path of a tracking number across machines, and the peers that could not be asked. */
  public record Path(List<Hop> hops, List<String> unreachable) {
  }

  public Path follow(String tracking, Journal.TrackView local) {
    List<Hop> hops = new ArrayList<>(local == null ? List.of() : local.hops());
    Set<String> asked = new LinkedHashSet<>();
    List<String> unreachable = new ArrayList<>();
    Deque<String> peers = new ArrayDeque<>(peersOf(hops));
    while (!peers.isEmpty() && asked.size() < MAX_MACHINES) {
      String peer = peers.removeFirst();
      if (!asked.add(peer)) {
        continue;
      }
      try {
        HttpResponse<String> response = http.send(HttpRequest.newBuilder(URI.create("http://" + peer + ":" + peerPort
            + "/api/v1/tracks/" + URLEncoder.encode(tracking, StandardCharsets.UTF_8))).timeout(Duration.ofSeconds(3)).build(),
            HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() == 404) {
          continue;
        }
        JsonNode remote = JSON.readTree(response.body()).path("hops");
        List<Hop> remoteHops = new ArrayList<>();
        for (JsonNode hop : remote) {
          remoteHops.add(JSON.treeToValue(hop, Hop.class));
        }
        hops.addAll(remoteHops);
        peers.addAll(peersOf(remoteHops));
      } catch (java.io.IOException e) {
        unreachable.add(peer);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        unreachable.add(peer);
      }
    }
    hops.sort(Comparator.comparing(Hop::at));
    return new Path(hops, unreachable);
  }

  private static List<String> peersOf(List<Hop> hops) {
    return hops.stream().filter(h -> h.outcome() == Hop.Outcome.SENT && h.peer() != null).map(Hop::peer).distinct().toList();
  }
}
