package io.erlmachine.operator.gearbox;

import static org.assertj.core.api.Assertions.assertThat;

import io.erlmachine.api.manifests.ManifestSet;
import io.erlmachine.api.v1alpha1.Gearbox;
import io.erlmachine.api.v1alpha1.Machine;
import io.erlmachine.api.v1alpha1.status.GearboxPhase;
import io.erlmachine.api.v1alpha1.status.GearboxStatus;
import io.erlmachine.api.v1alpha1.status.MachineStatus;
import io.fabric8.kubernetes.api.model.ConditionBuilder;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class GearboxStatusCalculatorTest {
  private final GearboxStatusCalculator calculator = new GearboxStatusCalculator(Clock.fixed(Instant.parse("2026-01-01T00:00:00Z"), ZoneOffset.UTC));
  private final Gearbox gearbox = ManifestSet.parse("""
      apiVersion: erlmachine.io/v1alpha1
      kind: Gearbox
      metadata: {name: intake, namespace: shop, generation: 3}
      spec:
        gears: [{name: a, prototype: endpoint}, {name: b, prototype: counter}]
        selfTests: [{name: counts, gear: b, input: {n: 1}, expect: {messages: 0}}]
      """).gearboxes().getFirst();

  @Test
  void runningWhenEveryPlacedMachineIsReady() {
    GearboxStatus status = calculator.calculate(gearbox, new GearboxStatusCalculator.Observation(Optional.empty(),
        List.of(machine("m2", true), machine("m1", true))));
    assertThat(status.phase()).isEqualTo(GearboxPhase.Running);
    assertThat(status.placements()).extracting(p -> p.machine()).containsExactly("m1", "m2");
    assertThat(status.placements()).allSatisfy(p -> {
      assertThat(p.selfTestsPassed()).as("a ready engine passed its gating self-tests").isEqualTo(1);
      assertThat(p.selfTestsFailed()).isZero();
    });
    assertThat(status.gearCount()).isEqualTo(2);
    assertThat(status.observedGeneration()).isEqualTo(3);
  }

  @Test
  void placedWhileAMachineIsNotReadyAndTheMessageNamesIt() {
    GearboxStatus status = calculator.calculate(gearbox, new GearboxStatusCalculator.Observation(Optional.empty(),
        List.of(machine("m1", true), machine("m2", false))));
    assertThat(status.phase()).isEqualTo(GearboxPhase.Placed);
    assertThat(status.conditions()).anySatisfy(c -> assertThat(c.getMessage()).contains("[m2]"));
    assertThat(status.placements().get(1).selfTestsPassed()).as("not known before the engine is ready").isNull();
  }

  @Test
  void invalidWinsOverPlacement() {
    GearboxStatus status = calculator.calculate(gearbox, new GearboxStatusCalculator.Observation(
        Optional.of(new GearboxProblem(GearboxProblem.SYNTAX_ERROR, "gear b: b.mjs:2:3: SyntaxError: Unexpected token")),
        List.of(machine("m1", true))));
    assertThat(status.phase()).isEqualTo(GearboxPhase.Invalid);
    assertThat(status.conditions()).anySatisfy(c -> {
      assertThat(c.getType()).isEqualTo("Valid");
      assertThat(c.getStatus()).isEqualTo("False");
      assertThat(c.getReason()).isEqualTo("SyntaxError");
      assertThat(c.getMessage()).isEqualTo("gear b: b.mjs:2:3: SyntaxError: Unexpected token");
    });
  }

  private static Machine machine(String name, boolean ready) {
    Machine machine = ManifestSet.parse("{apiVersion: erlmachine.io/v1alpha1, kind: Machine, metadata: {name: " + name
        + ", namespace: shop}, spec: {}}").machines().getFirst();
    machine.setStatus(new MachineStatus(null, null, null, null, null, List.of(new ConditionBuilder().withType("Ready")
        .withStatus(ready ? "True" : "False").withReason("r").withMessage("m").build())));
    return machine;
  }
}
