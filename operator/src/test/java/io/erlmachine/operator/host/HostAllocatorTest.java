package io.erlmachine.operator.host;

import static org.assertj.core.api.Assertions.assertThat;

import io.erlmachine.api.v1alpha1.Machine;
import io.erlmachine.api.v1alpha1.spec.Hosting;
import io.erlmachine.api.v1alpha1.spec.MachineResources;
import io.erlmachine.api.v1alpha1.spec.MachineSpec;
import io.erlmachine.api.v1alpha1.spec.ResourceAmounts;
import io.erlmachine.api.v1alpha1.status.MachineStatus;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;

class HostAllocatorTest {
  private static final HostSettings SETTINGS = new HostSettings(200, "1Gi", "2Gi", "500m", 1536L * 1024 * 1024, 4L * 1024 * 1024);

  @Test
  void concurrentPlacementsNeverShareAPort() throws Exception {
    HostAllocator allocator = new HostAllocator(SETTINGS, namespace -> java.util.stream.Stream.empty());
    ExecutorService pool = Executors.newFixedThreadPool(8);
    List<Future<Placement>> placements = new ArrayList<>();
    for (int i = 0; i < 1000; i++) {
      Machine machine = machine("m" + i, null, null);
      placements.add(pool.submit(() -> allocator.place(machine)));
    }
    Set<Placement> seen = ConcurrentHashMap.newKeySet();
    for (Future<Placement> placement : placements) {
      assertThat(seen.add(placement.get())).isTrue();
    }
    pool.shutdown();
    assertThat(allocator.hostsInUse("ns")).isEqualTo(5);
  }

  @Test
  void rebuildsFromTheMachinesStatusOldestFirst() {
    List<Machine> cached = List.of(
        machine("kept", "erlmachine-host-1", 20005),
        machine("dedicated", null, null),
        machine("clash", "erlmachine-host-1", 20005));
    cached.get(1).setStatus(new MachineStatus(1L, null, 2L, null, null, null, Hosting.Dedicated, null, null));
    cached.get(0).getMetadata().setCreationTimestamp("2026-01-01T00:00:00Z");
    cached.get(2).getMetadata().setCreationTimestamp("2026-02-01T00:00:00Z");
    HostAllocator allocator = new HostAllocator(SETTINGS, namespace -> cached.stream());

    assertThat(allocator.placementOf("ns", "kept")).contains(new Placement(1, 5));
    assertThat(allocator.placementOf("ns", "clash")).as("the younger one of two on one port is placed anew").contains(new Placement(0, 0));
    assertThat(allocator.placementOf("ns", "dedicated")).isEmpty();
    assertThat(allocator.hostsInUse("ns")).isEqualTo(2);
  }

  @Test
  void aMachinesMemoryIsItsRequestOrTheDefault() {
    HostAllocator allocator = new HostAllocator(SETTINGS, namespace -> java.util.stream.Stream.empty());
    assertThat(allocator.memoryOf(machine("plain", null, null))).isEqualTo(4L * 1024 * 1024);
    Machine asking = machine("asking", null, null);
    asking.setSpec(new MachineSpec(null, null, new MachineResources(new ResourceAmounts(null, "2Gi"), null), null, null, null));
    assertThat(allocator.memoryOf(asking)).isEqualTo(2L * 1024 * 1024 * 1024);
    assertThat(allocator.fitsAHost(asking)).isFalse();
  }

  private static Machine machine(String name, String host, Integer port) {
    Machine machine = new Machine();
    machine.setMetadata(new ObjectMetaBuilder().withName(name).withNamespace("ns").build());
    machine.setSpec(new MachineSpec(null, null, null, null, null, null));
    if (host != null) {
      machine.setStatus(new MachineStatus(1L, null, 1L, null, null, null, Hosting.Shared, host, port));
    }
    return machine;
  }
}
