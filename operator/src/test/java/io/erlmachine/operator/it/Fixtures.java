package io.erlmachine.operator.it;

import static org.awaitility.Awaitility.await;

import io.erlmachine.api.v1alpha1.Machine;
import io.erlmachine.testkit.Manifests;
import io.erlmachine.testkit.TestNamespace;
import io.fabric8.kubernetes.api.model.Condition;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Predicate;

/** Small helpers for creating Machines and waiting for their status. */
final class Fixtures {
  static final Duration READY_TIMEOUT = Duration.ofSeconds(90);

  private Fixtures() {
  }

  static void create(TestNamespace namespace, String yaml) {
    namespace.client().resource(Manifests.parse(yaml)).inNamespace(namespace.name()).create();
  }

  /** Changes an object as {@code kubectl apply --server-side --force-conflicts} would. */
  static void apply(TestNamespace namespace, String yaml) {
    namespace.client().resource(Manifests.parse(yaml)).inNamespace(namespace.name()).forceConflicts().serverSideApply();
  }

  static String write(TestNamespace namespace, String name, String yaml) {
    try {
      Path file = Files.createTempFile(name, ".yaml");
      Files.writeString(file, yaml);
      file.toFile().deleteOnExit();
      return file.toString();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static Machine awaitReady(TestNamespace namespace, String name) {
    return awaitMachine(namespace, name, machine -> condition(machine, "Ready").map(c -> "True".equals(c.getStatus())
        && machine.getMetadata().getGeneration().equals(machine.getStatus().observedGeneration())).orElse(false));
  }

  static Machine awaitMachine(TestNamespace namespace, String name, Predicate<Machine> until) {
    AtomicReference<Machine> last = new AtomicReference<>();
    await().atMost(READY_TIMEOUT).pollInterval(Duration.ofMillis(250))
        .alias("machine " + name + " (last seen: " + last + ")")
        .until(() -> {
          Machine machine = namespace.client().resources(Machine.class).inNamespace(namespace.name()).withName(name).get();
          last.set(machine);
          return machine != null && machine.getStatus() != null && until.test(machine);
        });
    return last.get();
  }

  static Optional<Condition> condition(Machine machine, String type) {
    return machine.getStatus() == null || machine.getStatus().conditions() == null ? Optional.empty()
        : machine.getStatus().conditions().stream().filter(c -> type.equals(c.getType())).findFirst();
  }
}
