package io.erlmachine.engine.http;

import io.erlmachine.api.config.MachineConfig;
import io.erlmachine.engine.host.EngineHost;
import io.erlmachine.engine.host.HostedMachine;
import io.erlmachine.engine.host.Reload;
import io.erlmachine.engine.machine.MachineRuntime;
import io.erlmachine.engine.runtime.Journal;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DefaultValue;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import java.util.List;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/** The machine as a whole: identity, clutch, reload, tracks and dead letters. */
@Path("/api/v1")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "machine", description = "The machine this listener serves")
public class MachineResource {
  private final EngineHost host;
  private final Serving serving;

  MachineResource(EngineHost host, Serving serving) {
    this.host = host;
    this.serving = serving;
  }

  @GET
  @Path("machine")
  @Operation(summary = "Who the machine is, whether it is ready, and how its gearboxes stand")
  public Views.MachineView machine() {
    HostedMachine hosted = serving.hosted();
    MachineRuntime machine = hosted.runtime();
    MachineConfig config = machine.config();
    return new Views.MachineView(config.machine().name(), config.machine().namespace(), config.machine().serial(),
        config.machine().dnsName(), machine.engaged() ? "Engaged" : "Disengaged", machine.ready(),
        new Views.CompilerView(host.platform().compilerActive(), host.platform().runtimeName()), hosted.lastReload(),
        machine.gearboxes().values().stream()
            .map(g -> new Views.GearboxSummary(g.name(), g.phase().name(), g.cells().size())).toList(),
        machine.deadLetters().total());
  }

  @PUT
  @Path("machine/clutch")
  @Consumes(MediaType.APPLICATION_JSON)
  @Operation(summary = "Engage or disengage the whole machine: while disengaged, messages wait in mailboxes")
  public Views.Clutch clutch(Views.Clutch clutch) {
    serving.machine().engage(Clutches.engaged(clutch));
    return clutch;
  }

  @POST
  @Path("reload")
  @Operation(summary = "Reload the machine config now; a config that fails validation is rejected with its problems")
  public Reload reload() {
    if (!host.hasConfig()) {
      throw new ApiException(409, "NoConfigFile", "this engine was started without a machine config (ERLMACHINE_CONFIG);"
          + " there is nothing to reload");
    }
    host.reload();
    HostedMachine hosted = serving.orNull();
    List<String> problems = hosted != null ? hosted.lastReload().problems()
        : host.state().rejected().stream().flatMap(rejected -> rejected.problems().stream()).toList();
    if (!problems.isEmpty()) {
      throw new ApiException(422, "InvalidConfig", "the machine config was rejected; the running config stays",
          problems, java.util.Map.of());
    }
    return serving.hosted().lastReload();
  }

  @GET
  @Path("tracks/{tracking}")
  @Operation(summary = "The hops of a tracking number in this machine; with follow=true, across every machine it went to")
  public Views.TrackView track(@PathParam("tracking") String tracking, @QueryParam("follow") @DefaultValue("false") boolean follow) {
    MachineRuntime machine = serving.machine();
    Journal.TrackView track = machine.journal().find(tracking);
    if (follow) {
      var path = host.trackFollower().follow(tracking, track);
      if (path.hops().isEmpty()) {
        throw ApiException.notFound("no machine on the path has a record of tracking number " + tracking);
      }
      return new Views.TrackView(tracking, machine.config().machine().name(), path.hops(), path.unreachable());
    }
    if (track == null) {
      throw ApiException.notFound("this machine has no record of tracking number " + tracking
          + " (it may have been forgotten: the journal keeps the most recent hops)");
    }
    return new Views.TrackView(tracking, machine.config().machine().name(), track.hops(), null);
  }

  @GET
  @Path("dead-letters")
  @Operation(summary = "Recent dead letters, newest first, and the total count")
  public Views.DeadLettersView deadLetters(@QueryParam("limit") @DefaultValue("100") int limit) {
    MachineRuntime machine = serving.machine();
    List<Views.DeadLetterView> recent = machine.deadLetters().recent().stream()
        .limit(Math.max(0, limit)).map(Views.DeadLetterView::of).toList();
    return new Views.DeadLettersView(machine.deadLetters().total(), recent);
  }
}
