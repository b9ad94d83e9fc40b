package io.erlmachine.engine.http;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.List;

/** Every error the REST API returns. */
@JsonInclude(JsonInclude.Include.NON_EMPTY)
public record ErrorBody(int status, String error, String message, List<String> details) {
}
