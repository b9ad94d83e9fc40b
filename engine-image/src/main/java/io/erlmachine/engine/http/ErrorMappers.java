package io.erlmachine.engine.http;

import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.util.List;
import org.jboss.logging.Logger;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

/** Turns every failure into a JSON {@link ErrorBody} with the right status code. */
public class ErrorMappers {
  private static final Logger LOG = Logger.getLogger(ErrorMappers.class);

  @ServerExceptionMapper
  public Response api(ApiException e) {
    Response.ResponseBuilder response = Response.status(e.status())
        .type(MediaType.APPLICATION_JSON)
        .entity(new ErrorBody(e.status(), e.error(), e.getMessage(), e.details()));
    e.headers().forEach(response::header);
    return response.build();
  }

  @ServerExceptionMapper
  public Response web(WebApplicationException e) {
    int status = e.getResponse().getStatus();
    String reason = Response.Status.fromStatusCode(status) == null ? "Error" : Response.Status.fromStatusCode(status).getReasonPhrase();
    return Response.status(status).type(MediaType.APPLICATION_JSON)
        .entity(new ErrorBody(status, reason.replace(" ", ""), e.getMessage(), List.of())).build();
  }

  @ServerExceptionMapper
  public Response unexpected(RuntimeException e) {
    LOG.error("request failed", e);
    return Response.status(500).type(MediaType.APPLICATION_JSON)
        .entity(new ErrorBody(500, "InternalError", e.getClass().getSimpleName() + ": " + e.getMessage(), List.of())).build();
  }
}
