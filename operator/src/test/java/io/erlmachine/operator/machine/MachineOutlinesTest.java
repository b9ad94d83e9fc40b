package io.erlmachine.operator.machine;

import static org.assertj.core.api.Assertions.assertThat;

import io.erlmachine.api.config.TransmissionRenderer;
import io.erlmachine.api.manifests.ManifestSet;
import io.erlmachine.api.v1alpha1.Gearbox;
import io.erlmachine.api.v1alpha1.Machine;
import io.erlmachine.api.v1alpha1.Transmission;
import io.erlmachine.api.v1alpha1.status.MachineStatus;
import io.erlmachine.operator.gearbox.GearboxStatusCalculator;
import io.fabric8.kubernetes.api.model.ConditionBuilder;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Optional;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Test;

class MachineOutlinesTest {
  private static final String DOMAIN = "cluster.local";
  private final ManifestSet manifests = ManifestSet.parse("""
      apiVersion: erlmachine.io/v1alpha1
      kind: Machine
      metadata: {name: front, namespace: shop, uid: u-1, resourceVersion: "42", generation: 3, labels: {tier: web}}
      spec:
        gearboxSelector: {matchLabels: {flow: intake}}
        limits: {mailboxCapacity: 10}
        permissions: {outboundHosts: [{host: api.example.com, port: 443}]}
      ---
      apiVersion: erlmachine.io/v1alpha1
      kind: Machine
      metadata: {name: back, namespace: shop, labels: {tier: store}}
      spec: {gearboxSelector: {matchLabels: {flow: other}}}
      ---
      apiVersion: erlmachine.io/v1alpha1
      kind: Gearbox
      metadata: {name: intake, namespace: shop, labels: {flow: intake}}
      spec:
        gears: [{name: in, prototype: endpoint}]
      ---
      apiVersion: erlmachine.io/v1alpha1
      kind: Transmission
      metadata: {name: orders, namespace: shop}
      spec:
        pattern: PubSub
        from: {machineSelector: {matchLabels: {tier: web}}, gearbox: intake, gear: in}
        to: [{machineSelector: {matchLabels: {tier: store}}, gearbox: intake, gear: in}]
      """);

  @Test
  void aGearboxSeesTheSameSelectionAndReadinessInTheOutlineAsInTheMachine() {
    Gearbox intake = manifests.gearboxes().getFirst();
    var calculator = new GearboxStatusCalculator(Clock.fixed(Instant.parse("2026-01-01T00:00:00Z"), ZoneOffset.UTC));
    for (String ready : new String[] {"True", "False", null}) {
      List<Machine> machines = manifests.machines().stream().map(m -> withReady(m, ready)).toList();
      List<Machine> outlines = machines.stream().map(MachineOutlines::forGearboxes).toList();
      for (int i = 0; i < machines.size(); i++) {
        assertThat(MachineGearboxes.selects(outlines.get(i), intake)).isEqualTo(MachineGearboxes.selects(machines.get(i), intake));
      }
      var selecting = machines.stream().filter(m -> MachineGearboxes.selects(m, intake)).toList();
      var selectingOutlines = outlines.stream().filter(m -> MachineGearboxes.selects(m, intake)).toList();
      assertThat(selectingOutlines).hasSize(1);
      assertThat(calculator.calculate(intake, new GearboxStatusCalculator.Observation(Optional.empty(), selectingOutlines))).as("Ready " + ready)
          .isEqualTo(calculator.calculate(intake, new GearboxStatusCalculator.Observation(Optional.empty(), selecting)));
    }
  }

  @Test
  void aGearboxOutlineKeepsIdentityLabelsSelectorAndReadyStatusOnly() {
    Machine full = withReady(manifests.machines().getFirst(), "True");
    Machine outline = MachineOutlines.forGearboxes(full);

    assertIdentityKept(full, outline);
    assertThat(outline.getSpec().gearboxSelector()).isEqualTo(full.getSpec().gearboxSelector());
    assertThat(outline.getSpec().limits()).isNull();
    assertThat(outline.getSpec().permissions()).isNull();
    assertThat(outline.getStatus().serial()).isNull();
    assertThat(outline.getStatus().host()).isNull();
    assertThat(outline.getStatus().conditions()).singleElement().satisfies(c -> {
      assertThat(c.getType()).isEqualTo("Ready");
      assertThat(c.getStatus()).isEqualTo("True");
      assertThat(c.getMessage()).as("messages are the bulk of a status").isNull();
      assertThat(c.getReason()).isNull();
    });
  }

  @Test
  void aTransmissionResolvesTheSameRoutesFromOutlinesAndKeepsNoStatus() {
    Transmission orders = manifests.transmissions().getFirst();
    UnaryOperator<Machine> ready = m -> withReady(m, "True");
    List<Machine> machines = manifests.machines().stream().map(ready).toList();
    List<Machine> outlines = machines.stream().map(MachineOutlines::forTransmissions).toList();
    var refs = new MachineTransmissions(m -> MachineObjects.dnsName(m, DOMAIN));
    var renderer = new TransmissionRenderer();

    for (int i = 0; i < machines.size(); i++) {
      assertThat(refs.ref(outlines.get(i))).isEqualTo(refs.ref(machines.get(i)));
      assertThat(renderer.routesFrom(refs.ref(outlines.get(i)), List.of(orders), outlines.stream().map(refs::ref).toList()))
          .isEqualTo(renderer.routesFrom(refs.ref(machines.get(i)), List.of(orders), machines.stream().map(refs::ref).toList()));
    }
    assertThat(renderer.routesFrom(refs.ref(outlines.getFirst()), List.of(orders), outlines.stream().map(refs::ref).toList()))
        .as("the web machine sends to the store machine").singleElement()
        .satisfies(route -> assertThat(route.targets()).singleElement().satisfies(t -> assertThat(t.machine()).isEqualTo("back")));
    assertIdentityKept(machines.getFirst(), outlines.getFirst());
    assertThat(outlines.getFirst().getSpec().gearboxSelector()).isEqualTo(machines.getFirst().getSpec().gearboxSelector());
    assertThat(outlines.getFirst().getSpec().limits()).isNull();
    assertThat(outlines.getFirst().getStatus()).isNull();
  }

  @Test
  void aMachineWithoutSpecOrStatusStaysWithout() {
    Machine bare = ManifestSet.parse("{apiVersion: erlmachine.io/v1alpha1, kind: Machine, metadata: {name: bare, namespace: shop}}").machines().getFirst();
    assertThat(MachineOutlines.forGearboxes(bare).getSpec()).isNull();
    assertThat(MachineOutlines.forGearboxes(bare).getStatus()).isNull();
    assertThat(MachineOutlines.forTransmissions(bare).getSpec()).isNull();
  }

  private static void assertIdentityKept(Machine full, Machine outline) {
    assertThat(outline.getMetadata().getName()).isEqualTo("front");
    assertThat(outline.getMetadata().getNamespace()).isEqualTo("shop");
    assertThat(outline.getMetadata().getUid()).isEqualTo("u-1");
    assertThat(outline.getMetadata().getResourceVersion()).isEqualTo("42");
    assertThat(outline.getMetadata().getLabels()).isEqualTo(full.getMetadata().getLabels()).containsEntry("tier", "web");
    assertThat(outline.getMetadata().getGeneration()).as("not read").isNull();
  }

  private static Machine withReady(Machine machine, String ready) {
    Machine copy = new Machine();
    copy.setMetadata(machine.getMetadata());
    copy.setSpec(machine.getSpec());
    copy.setStatus(new MachineStatus(3L, null, 7L, "front.shop.svc.cluster.local", List.of("intake"), ready == null ? List.of()
        : List.of(new ConditionBuilder().withType("Progressing").withStatus("False").withReason("Done").withMessage("done").build(),
            new ConditionBuilder().withType("Ready").withStatus(ready).withReason("r").withMessage("a long message").build())));
    return copy;
  }
}
