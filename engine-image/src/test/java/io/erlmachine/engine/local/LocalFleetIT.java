package io.erlmachine.engine.local;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** A hundred machines in one local-mode engine host: each on its own address, each handling its own message. */
class LocalFleetIT {
  private static final int MACHINES = 100;

  @Test
  void aHundredMachinesRunInOneHostAndEachCountsItsOwnMessage() throws Exception {
    Path manifests = LocalModeProcess.workDirectory("fleet").resolve("fleet");
    Files.createDirectories(manifests);
    Files.writeString(manifests.resolve("fleet.yaml"), fleet(MACHINES));
    try (LocalModeProcess local = new LocalModeProcess(manifests, 18410, MACHINES)) {
      assertThat(local.serials.values()).doesNotHaveDuplicates().hasSize(MACHINES);
      assertThat(local.urls.values()).doesNotHaveDuplicates();
      assertThat(local.output).filteredOn(line -> line.contains("erlmachine-engine") && line.contains("started in"))
          .as("one engine process for all machines").hasSize(1);
      List<String> machines = new ArrayList<>(local.urls.keySet());
      // The first message of each machine may meet code not yet compiled: it is counted or, past the message
      // timeout, dead-lettered with the reason. None may vanish.
      sendToEach(local, machines, "first");
      await().atMost(Duration.ofMinutes(2)).pollInterval(Duration.ofMillis(500)).untilAsserted(() -> {
        for (String machine : machines) {
          long handled = count(local, machine) + local.get(machine, "/api/v1/dead-letters?limit=0").path("total").asLong();
          assertThat(handled).as(machine).isEqualTo(1);
        }
      });
      List<Long> before = new ArrayList<>();
      for (String machine : machines) {
        before.add(count(local, machine));
      }
      sendToEach(local, machines, "second");
      await().atMost(Duration.ofMinutes(1)).pollInterval(Duration.ofMillis(500)).untilAsserted(() -> {
        for (int i = 0; i < machines.size(); i++) {
          assertThat(count(local, machines.get(i))).as(machines.get(i)).isEqualTo(before.get(i) + 1);
        }
      });
    }
  }

  private static void sendToEach(LocalModeProcess local, List<String> machines, String round) throws Exception {
    for (String machine : machines) {
      local.post(machine, "/api/v1/gearboxes/fleet/gears/in/messages", "{\"from\": \"" + machine + "\", \"round\": \"" + round + "\"}");
    }
  }

  private static long count(LocalModeProcess local, String machine) throws Exception {
    return local.get(machine, "/api/v1/gearboxes/fleet/gears/count/state").path("count").asLong();
  }

  /** One gearbox (endpoint, a JavaScript step, a counter) and the given number of machines that run it. */
  static String fleet(int machines) {
    StringBuilder yaml = new StringBuilder("""
        apiVersion: erlmachine.io/v1alpha1
        kind: Gearbox
        metadata:
          name: fleet
          labels: {stage: fleet}
        spec:
          gears:
            - {name: in, prototype: endpoint}
            - name: step
              prototype: js
              source:
                inline: |
                  export function receive(message) { return { seen: message.body.from, at: Date.now() }; }
            - {name: count, prototype: counter}
          shafts:
            - {from: in, to: step}
            - {from: step, to: count}
        """);
    for (int i = 1; i <= machines; i++) {
      yaml.append(String.format("""
          ---
          apiVersion: erlmachine.io/v1alpha1
          kind: Machine
          metadata:
            name: m-%04d
          spec:
            gearboxSelector:
              matchLabels: {stage: fleet}
          """, i));
    }
    return yaml.toString();
  }
}
