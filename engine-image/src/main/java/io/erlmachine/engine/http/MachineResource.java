package io.erlmachine.engine.http;

import io.erlmachine.api.config.MachineConfig;
import io.erlmachine.engine.app.Engine;
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
@Tag(name = "machine", description = "The machine this engine runs")
public class MachineResource {
  private final Engine engine;

  MachineResource(Engine engine) {
    this.engine = engine;
  }

  @GET
  @Path("machine")
  @Operation(summary = "Who the machine is, whether it is ready, and how its gearboxes stand")
  public Views.MachineView machine() {
    MachineRuntime machine = engine.machine();
    MachineConfig config = loaded(engine);
    return new Views.MachineView(config.machine().name(), config.machine().namespace(), config.machine().serial(),
        config.machine().dnsName(), machine.engaged() ? "Engaged" : "Disengaged", machine.ready(),
        new Views.CompilerView(engine.platform().compilerActive(), engine.platform().runtimeName()), engine.lastReload(),
        machine.gearboxes().values().stream()
            .map(g -> new Views.GearboxSummary(g.name(), g.phase().name(), g.cells().size())).toList(),
        machine.deadLetters().total());
  }

  @PUT
  @Path("machine/clutch")
  @Consumes(MediaType.APPLICATION_JSON)
  @Operation(summary = "Engage or disengage the whole machine: while disengaged, messages wait in mailboxes")
  public Views.Clutch clutch(Views.Clutch clutch) {
    loaded(engine);
    engine.machine().engage(Clutches.engaged(clutch));
    return clutch;
  }

  @POST
  @Path("reload")
  @Operation(summary = "Reload the machine config file now; a config that fails validation is rejected with its problems")
  public Engine.Reload reload() {
    if (engine.settings().configFile().isEmpty()) {
      throw new ApiException(409, "NoConfigFile", "this engine was started without a machine config file (ERLMACHINE_CONFIG);"
          + " there is nothing to reload");
    }
    Engine.Reload reload = engine.reload();
    if (!reload.applied()) {
      throw new ApiException(422, "InvalidConfig", "the machine config was rejected; the running config stays",
          reload.problems(), java.util.Map.of());
    }
    return reload;
  }

  @GET
  @Path("tracks/{tracking}")
  @Operation(summary = "The hops of a tracking number in this machine; with follow=true, across every machine it went to")
  public Views.TrackView track(@PathParam("tracking") String tracking, @QueryParam("follow") @DefaultValue("false") boolean follow) {
    Journal.TrackView track = engine.machine().journal().find(tracking);
    if (follow) {
      var path = engine.trackFollower().follow(tracking, track);
      if (path.hops().isEmpty()) {
        throw ApiException.notFound("no machine on the path has a record of tracking number " + tracking);
      }
      return new Views.TrackView(tracking, loaded(engine).machine().name(), path.hops(), path.unreachable());
    }
    if (track == null) {
      throw ApiException.notFound("this machine has no record of tracking number " + tracking
          + " (it may have been forgotten: the journal keeps the most recent hops)");
    }
    return new Views.TrackView(tracking, loaded(engine).machine().name(), track.hops(), null);
  }

  @GET
  @Path("dead-letters")
  @Operation(summary = "Recent dead letters, newest first, and the total count")
  public Views.DeadLettersView deadLetters(@QueryParam("limit") @DefaultValue("100") int limit) {
    List<Views.DeadLetterView> recent = engine.machine().deadLetters().recent().stream()
        .limit(Math.max(0, limit)).map(Views.DeadLetterView::of).toList();
    return new Views.DeadLettersView(engine.machine().deadLetters().total(), recent);
  }

  /** The running config; 503 until one is loaded, with the problems when the config file was rejected. */
  static MachineConfig loaded(Engine engine) {
    MachineRuntime machine = engine.machine();
    if (machine != null && machine.config() != null) {
      return machine.config();
    }
    Engine.Reload reload = engine.lastReload();
    if (reload != null && !reload.applied()) {
      throw new ApiException(503, "ConfigRejected", "the machine config was rejected, so no gears run; fix it and the engine"
          + " reloads it", reload.problems(), java.util.Map.of());
    }
    throw new ApiException(503, "NotLoaded", "no machine config is loaded yet; see the engine log or POST /api/v1/reload");
  }
}
