package io.erlmachine.operator.host;

import java.util.ArrayList;
import java.util.BitSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/**
 * The hosts of one namespace and the machines on them: first fit over the hosts in order
 * (packed), by memory and by slot. A machine keeps its place while its host exists and it still
 * fits there. Not thread-safe: {@link HostAllocator} serializes the calls per namespace.
 */
final class HostPacking {
  private final int slotsPerHost;
  private final long memoryPerHost;
  private final Map<String, Seat> seats = new HashMap<>();
  private final List<Host> hosts = new ArrayList<>();

  private record Seat(Placement placement, long memory) {
  }

  private static final class Host {
    final BitSet slots = new BitSet();
    final Set<String> machines = new TreeSet<>();
    long memory;
  }

  HostPacking(int slotsPerHost, long memoryPerHost) {
    this.slotsPerHost = slotsPerHost;
    this.memoryPerHost = memoryPerHost;
  }

  boolean fitsAnyHost(long memory) {
    return memory <= memoryPerHost;
  }

  Optional<Placement> placementOf(String machine) {
    return Optional.ofNullable(seats.get(machine)).map(Seat::placement);
  }

  /**
   * The machine's place: where it is if it still fits there, else {@code wanted} if that slot is
   * free and fits (a placement recorded before), else the first host with a free slot and room.
   */
  Placement place(String machine, long memory, Optional<Placement> wanted) {
    if (!fitsAnyHost(memory)) {
      throw new IllegalArgumentException("machine " + machine + " asks for " + memory + " bytes, more than a host has");
    }
    Seat seat = seats.get(machine);
    if (seat != null) {
      Host host = hosts.get(seat.placement().host());
      if (host.memory - seat.memory() + memory <= memoryPerHost) {
        host.memory += memory - seat.memory();
        seats.put(machine, new Seat(seat.placement(), memory));
        return seat.placement();
      }
      release(machine);
    }
    if (wanted.isPresent() && fits(wanted.get(), memory)) {
      return take(machine, wanted.get(), memory);
    }
    for (int ordinal = 0; ; ordinal++) {
      Host host = host(ordinal);
      int slot = host.slots.nextClearBit(0);
      if (slot < slotsPerHost && host.memory + memory <= memoryPerHost) {
        return take(machine, new Placement(ordinal, slot), memory);
      }
    }
  }

  void release(String machine) {
    Seat seat = seats.remove(machine);
    if (seat == null) {
      return;
    }
    Host host = hosts.get(seat.placement().host());
    host.slots.clear(seat.placement().slot());
    host.machines.remove(machine);
    host.memory -= seat.memory();
    while (!hosts.isEmpty() && hosts.getLast().machines.isEmpty()) {
      hosts.removeLast();
    }
  }

  /** How many hosts the set needs: up to the highest one that runs a machine. */
  int hostsInUse() {
    return hosts.size();
  }

  Set<String> machines() {
    return Set.copyOf(seats.keySet());
  }

  Set<String> machinesOn(int host) {
    return host < hosts.size() ? Set.copyOf(hosts.get(host).machines) : Set.of();
  }

  private boolean fits(Placement placement, long memory) {
    if (placement.slot() >= slotsPerHost) {
      return false;
    }
    if (placement.host() >= hosts.size()) {
      return true;
    }
    Host host = hosts.get(placement.host());
    return !host.slots.get(placement.slot()) && host.memory + memory <= memoryPerHost;
  }

  private Placement take(String machine, Placement placement, long memory) {
    Host host = host(placement.host());
    host.slots.set(placement.slot());
    host.machines.add(machine);
    host.memory += memory;
    seats.put(machine, new Seat(placement, memory));
    return placement;
  }

  private Host host(int ordinal) {
    while (hosts.size() <= ordinal) {
      hosts.add(new Host());
    }
    return hosts.get(ordinal);
  }
}
