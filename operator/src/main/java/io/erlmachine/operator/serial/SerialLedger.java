package io.erlmachine.operator.serial;

import io.erlmachine.api.v1alpha1.ApiGroup;
import io.erlmachine.api.v1alpha1.Machine;
import io.erlmachine.operator.config.OperatorSettings;
import io.fabric8.kubernetes.client.KubernetesClient;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

/**
 * The record of which Machine (by UID) each serial number was assigned to: the only thing that
 * makes a serial trusted. Labels and status only repeat it. The ledger is read once when the
 * operator becomes leader (only the leader assigns serials) and kept in memory; assignments
 * are written to the shards ({@link LedgerShards}) before any label shows them. Assignments
 * asked for while a write is under way go together in the next write (one write per shard
 * touched), so a burst of new Machines costs fewer ledger writes than Machines.
 */
@ApplicationScoped
public class SerialLedger {
  private static final Logger LOG = Logger.getLogger(SerialLedger.class);

  private final KubernetesClient client;
  private final SerialNumbers numbers;
  private final LedgerShards shards;
  private final List<String> watchedNamespaces;
  private final Map<String, Long> serialByUid = new ConcurrentHashMap<>();
  private final Map<Long, LedgerBinding> bindingBySerial = new ConcurrentHashMap<>();
  /** Machines waiting for a serial, by UID; guarded by itself. */
  private final Map<String, Claim> claims = new LinkedHashMap<>();
  private final Object writeLock = new Object();
  private volatile boolean loaded;

  private record Claim(Machine machine, CompletableFuture<Long> serial) {
  }

  public SerialLedger(KubernetesClient client, SerialNumbers numbers, OperatorSettings settings,
                      @ConfigProperty(name = "quarkus.operator-sdk.namespaces") Optional<List<String>> watchedNamespaces) {
    this.client = client;
    this.numbers = numbers;
    this.shards = new LedgerShards(client, settings.operatorNamespace());
    this.watchedNamespaces = watchedNamespaces.orElse(List.of()).stream().filter(n -> !n.isBlank() && !"JOSDK_ALL_NAMESPACES".equals(n)).toList();
  }

  /** The serial the operator assigned to the Machine with this UID, if any. */
  public OptionalLong serialOf(String uid) {
    ensureLoaded();
    Long serial = serialByUid.get(uid);
    return serial == null ? OptionalLong.empty() : OptionalLong.of(serial);
  }

  /** Which Machine holds a serial, if any does. */
  public Optional<LedgerBinding> holderOf(long serial) {
    ensureLoaded();
    return Optional.ofNullable(bindingBySerial.get(serial));
  }

  /** The Machine's serial: the one in the ledger, or a new one, written to the ledger before it is returned. */
  public long bind(Machine machine) {
    String uid = machine.getMetadata().getUid();
    OptionalLong bound = serialOf(uid);
    if (bound.isPresent()) {
      return bound.getAsLong();
    }
    CompletableFuture<Long> serial;
    synchronized (claims) {
      serial = claims.computeIfAbsent(uid, u -> new Claim(machine, new CompletableFuture<>())).serial();
    }
    synchronized (writeLock) {
      if (!serial.isDone()) {
        writeWaitingClaims();
      }
    }
    try {
      return serial.join();
    } catch (CompletionException e) {
      throw e.getCause() instanceof RuntimeException cause ? cause : e;
    }
  }

  private void writeWaitingClaims() {
    List<Claim> batch;
    synchronized (claims) {
      batch = List.copyOf(claims.values());
    }
    try {
      List<LedgerBinding> bindings = new ArrayList<>();
      batch.forEach(claim -> bindings.add(LedgerBinding.of(unboundSerial(), claim.machine())));
      record(shards.add(bindings));
      for (int i = 0; i < batch.size(); i++) {
        LedgerBinding binding = bindings.get(i);
        LedgerBinding holder = bindingBySerial.get(binding.serial());
        if (holder != null && holder.uid().equals(binding.uid())) {
          batch.get(i).serial().complete(binding.serial());
        } else {
          batch.get(i).serial().completeExceptionally(new IllegalStateException("serial " + binding.serial() + " is already in the ledger for "
              + (holder == null ? "another Machine" : holder.machine()) + "; another serial is taken on the next attempt"));
        }
      }
    } catch (RuntimeException e) {
      batch.forEach(claim -> claim.serial().completeExceptionally(e));
    } finally {
      synchronized (claims) {
        batch.forEach(claim -> claims.remove(claim.machine().getMetadata().getUid(), claim));
      }
    }
  }

  /** The counter's next serial, skipping any the ledger already holds (a counter restored from an old backup would repeat them). */
  private long unboundSerial() {
    long serial = numbers.next(this::highestBound);
    while (bindingBySerial.containsKey(serial)) {
      serial = numbers.next(this::highestBound);
    }
    return serial;
  }

  private void ensureLoaded() {
    if (loaded) {
      return;
    }
    synchronized (writeLock) {
      if (!loaded) {
        record(shards.readAll());
        adoptPreLedgerSerials();
        loaded = true;
        LOG.infof("serial ledger loaded: %d serials", bindingBySerial.size());
      }
    }
  }

  /** Once, when the ledger starts: the serials Machines were labelled with before the ledger existed (see {@link PreLedgerSerials}). */
  private void adoptPreLedgerSerials() {
    var counter = numbers.counter();
    if (counter.isPresent() && SerialNumbers.ledgerStarted(counter.get())) {
      return;
    }
    long issuedBelow = counter.map(numbers::nextFrom).orElse(Long.MAX_VALUE);
    List<Machine> labelled = labelledMachines();
    List<LedgerBinding> adoptions = PreLedgerSerials.adoptions(labelled, serialByUid::containsKey, bindingBySerial::containsKey, issuedBelow);
    record(shards.add(adoptions));
    numbers.startLedger(highestBound());
    LOG.infof("serial ledger started: adopted the serials of %d of %d labelled Machines; the other labels will be replaced",
        adoptions.size(), labelled.size());
  }

  private List<Machine> labelledMachines() {
    return watchedNamespaces.isEmpty()
        ? client.resources(Machine.class).inAnyNamespace().withLabel(ApiGroup.SERIAL_LABEL).list().getItems()
        : watchedNamespaces.stream()
            .flatMap(namespace -> client.resources(Machine.class).inNamespace(namespace).withLabel(ApiGroup.SERIAL_LABEL).list().getItems().stream())
            .toList();
  }

  /** Bindings only ever get added; if a UID were ever bound twice, its lowest serial counts, whatever order they are read in. */
  private void record(Collection<LedgerBinding> bindings) {
    bindings.forEach(binding -> {
      bindingBySerial.putIfAbsent(binding.serial(), binding);
      serialByUid.merge(binding.uid(), binding.serial(), Math::min);
    });
  }

  private long highestBound() {
    return bindingBySerial.keySet().stream().mapToLong(Long::longValue).max().orElse(0);
  }
}
