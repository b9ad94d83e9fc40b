package io.erlmachine.operator.host;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.HashSet;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

class HostPackingTest {
  private static final long MIB = 1024 * 1024;

  @Test
  void packsFirstFitBySlotsAndGrowsOnlyWhenEveryHostIsFull() {
    HostPacking packing = new HostPacking(3, 100 * MIB);
    for (int i = 0; i < 7; i++) {
      packing.place("m" + i, MIB, Optional.empty());
    }
    assertThat(packing.hostsInUse()).isEqualTo(3);
    assertThat(packing.placementOf("m0")).contains(new Placement(0, 0));
    assertThat(packing.placementOf("m2")).contains(new Placement(0, 2));
    assertThat(packing.placementOf("m3")).contains(new Placement(1, 0));
    assertThat(packing.placementOf("m6")).contains(new Placement(2, 0));
    assertThat(new Placement(1, 2).port()).isEqualTo(20002);
    assertThat(new Placement(1, 2).hostName()).isEqualTo("erlmachine-host-1");
  }

  @Test
  void packsByMemory() {
    HostPacking packing = new HostPacking(200, 100 * MIB);
    packing.place("big", 70 * MIB, Optional.empty());
    packing.place("medium", 40 * MIB, Optional.empty());
    packing.place("small", 30 * MIB, Optional.empty());
    assertThat(packing.placementOf("big").orElseThrow().host()).isZero();
    assertThat(packing.placementOf("medium").orElseThrow().host()).isEqualTo(1);
    assertThat(packing.placementOf("small").orElseThrow().host()).as("first fit: room is left on the first host").isZero();
  }

  @Test
  void aPlacementIsStableWhileItFitsAndMovesWhenItNoLongerDoes() {
    HostPacking packing = new HostPacking(10, 100 * MIB);
    packing.place("a", 10 * MIB, Optional.empty());
    Placement b = packing.place("b", 10 * MIB, Optional.empty());
    packing.release("a");
    assertThat(packing.place("b", 20 * MIB, Optional.empty())).as("kept when it grows but still fits").isEqualTo(b);
    packing.place("c", 70 * MIB, Optional.empty());
    Placement moved = packing.place("b", 40 * MIB, Optional.empty());
    assertThat(moved.host()).as("moved to a host where it fits").isEqualTo(1);
    assertThat(packing.machinesOn(0)).containsExactly("c");
  }

  @Test
  void aReleasedPortIsGivenAgainAndTheHighestEmptyHostGoes() {
    HostPacking packing = new HostPacking(2, 100 * MIB);
    packing.place("a", MIB, Optional.empty());
    packing.place("b", MIB, Optional.empty());
    packing.place("c", MIB, Optional.empty());
    assertThat(packing.hostsInUse()).isEqualTo(2);
    packing.release("c");
    assertThat(packing.hostsInUse()).as("shrinks when its highest host is empty").isEqualTo(1);
    packing.release("a");
    assertThat(packing.place("d", MIB, Optional.empty())).isEqualTo(new Placement(0, 0));
    packing.release("b");
    packing.release("d");
    assertThat(packing.hostsInUse()).isZero();
  }

  @Test
  void aRecordedPlacementIsKeptWhenFreeAndReplacedWhenTaken() {
    HostPacking packing = new HostPacking(200, 100 * MIB);
    assertThat(packing.place("a", MIB, Optional.of(new Placement(0, 17)))).isEqualTo(new Placement(0, 17));
    assertThat(packing.place("b", MIB, Optional.of(new Placement(0, 17)))).as("slot 17 is taken").isEqualTo(new Placement(0, 0));
    assertThat(packing.place("c", MIB, Optional.of(new Placement(0, 500)))).as("no such slot").isEqualTo(new Placement(0, 1));
  }

  @Test
  void noPortIsGivenTwice() {
    HostPacking packing = new HostPacking(200, 1024 * MIB);
    Set<Placement> seen = new HashSet<>();
    for (int i = 0; i < 1000; i++) {
      assertThat(seen.add(packing.place("m" + i, 4 * MIB, Optional.empty()))).isTrue();
    }
    assertThat(packing.hostsInUse()).isEqualTo(5);
  }

  @Test
  void aMachineBiggerThanAHostIsRefused() {
    HostPacking packing = new HostPacking(200, 100 * MIB);
    assertThat(packing.fitsAnyHost(101 * MIB)).isFalse();
    assertThatThrownBy(() -> packing.place("huge", 101 * MIB, Optional.empty())).isInstanceOf(IllegalArgumentException.class);
  }
}
