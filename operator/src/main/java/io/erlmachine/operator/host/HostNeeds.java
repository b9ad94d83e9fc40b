package io.erlmachine.operator.host;

import io.erlmachine.api.v1alpha1.spec.TrafficSource;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

/**
 * What a shared machine needs of its host's NetworkPolicy: who may reach it (spec.permissions.inboundFrom,
 * the machines that send to it by transmission), whom it sends to, and the ports it may open outside.
 * A host's policy admits the union of its namespace's machines' needs.
 */
public record HostNeeds(List<TrafficSource> inboundFrom, Set<String> receivesFrom, Set<String> sendsTo, Set<Integer> outboundPorts) {
  public static final HostNeeds NONE = new HostNeeds(List.of(), Set.of(), Set.of(), Set.of());

  public HostNeeds {
    inboundFrom = List.copyOf(inboundFrom);
    receivesFrom = Collections.unmodifiableSortedSet(new TreeSet<>(receivesFrom));
    sendsTo = Collections.unmodifiableSortedSet(new TreeSet<>(sendsTo));
    outboundPorts = Collections.unmodifiableSortedSet(new TreeSet<>(outboundPorts));
  }

  public static HostNeeds union(Collection<HostNeeds> needs) {
    Set<TrafficSource> inbound = new LinkedHashSet<>();
    Set<String> receives = new TreeSet<>();
    Set<String> sends = new TreeSet<>();
    Set<Integer> ports = new TreeSet<>();
    for (HostNeeds need : needs) {
      inbound.addAll(need.inboundFrom());
      receives.addAll(need.receivesFrom());
      sends.addAll(need.sendsTo());
      ports.addAll(need.outboundPorts());
    }
    return new HostNeeds(new ArrayList<>(inbound), receives, sends, ports);
  }
}
