package io.erlmachine.api.v1alpha1.status;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import java.util.List;

/** One source machine and where it delivers. */
public record ResolvedRoute(
    @JsonPropertyDescription("The source machine.")
    String from,
    @JsonPropertyDescription("DNS names of the target machines.")
    List<String> to) {
}
