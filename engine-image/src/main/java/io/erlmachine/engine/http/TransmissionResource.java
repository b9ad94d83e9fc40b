package io.erlmachine.engine.http;

import io.erlmachine.api.config.MachineConfig;
import io.erlmachine.engine.transmission.RouteOutlet;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import java.util.List;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/** The transmissions leaving this machine, with their delivery counters. */
@Path("/api/v1/transmissions")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "transmissions", description = "Messages leaving this machine for other machines")
public class TransmissionResource {
  private final Serving serving;

  TransmissionResource(Serving serving) {
    this.serving = serving;
  }

  /** One transmission as this machine sends it. */
  public record TransmissionView(String name, String pattern, String from, String clutch,
                                 List<MachineConfig.TargetConfig> targets, RouteOutlet.Counters counters) {
  }

  @GET
  @Operation(summary = "Transmissions whose source gear runs here: targets, and messages delivered, retried, dead-lettered and queued")
  public List<TransmissionView> transmissions() {
    return serving.machine().outlets().values().stream()
        .map(outlet -> new TransmissionView(outlet.route().transmission(), outlet.route().pattern(),
            outlet.route().gearbox() + "/" + outlet.route().gear(), outlet.route().clutch(), outlet.route().targets(), outlet.counters()))
        .sorted(java.util.Comparator.comparing(TransmissionView::name))
        .toList();
  }
}
