package io.erlmachine.engine.http;

import io.erlmachine.api.config.MachineConfig;
import io.erlmachine.engine.host.EngineHost;
import io.erlmachine.engine.host.HostedMachine;
import io.erlmachine.engine.host.Reload;
import io.erlmachine.engine.machine.HostBudgets;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import java.util.List;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/**
 * The engine host as a whole, at the engine's own port only (a machine's listener serves that
 * machine alone): every machine with its listener, readiness and last reload, the configs it
 * rejected, and the memory budgets the machines share. One call tells the state of all of them.
 */
@Path("/api/v1/host")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "host", description = "The engine host and all its machines")
public class HostResource {
  private final EngineHost host;
  private final Serving serving;

  HostResource(EngineHost host, Serving serving) {
    this.host = host;
    this.serving = serving;
  }

  /** One machine as the host runs it. */
  public record MachineEntry(String name, String namespace, long serial, String dnsName, MachineConfig.Listener listener,
                             boolean ready, Reload lastReload) {
    static MachineEntry of(HostedMachine machine) {
      MachineConfig.Identity identity = machine.runtime().config().machine();
      return new MachineEntry(identity.name(), identity.namespace(), identity.serial(), identity.dnsName(), machine.listener(),
          machine.runtime().ready(), machine.lastReload());
    }
  }

  /** A config file whose machine does not run. */
  public record RejectedEntry(String file, String machine, List<String> problems) {
  }

  /** The budgets and how many machines share them. */
  public record BudgetView(int machines, HostBudgets.Totals totals) {
  }

  /** The host's view. */
  public record HostView(int machines, int ready, List<MachineEntry> running, List<RejectedEntry> rejected, BudgetView budgets,
                         Views.CompilerView compiler) {
  }

  @GET
  @Operation(summary = "Every machine on this engine host with its listener, readiness and last reload, and the rejected configs")
  public HostView host() {
    if (!serving.atHostPort()) {
      throw ApiException.notFound("the host's state is served at the engine's own port, not at a machine's listener");
    }
    EngineHost.HostState state = host.state();
    List<MachineEntry> running = state.machines().stream().filter(m -> m.runtime().config() != null).map(MachineEntry::of).toList();
    return new HostView(running.size(), (int) running.stream().filter(MachineEntry::ready).count(), running,
        state.rejected().stream().map(r -> new RejectedEntry(r.file().getFileName().toString(), r.machine(), r.problems())).toList(),
        new BudgetView(state.budgets().machines(), state.budgets().totals()),
        new Views.CompilerView(host.platform().compilerActive(), host.platform().runtimeName()));
  }
}
