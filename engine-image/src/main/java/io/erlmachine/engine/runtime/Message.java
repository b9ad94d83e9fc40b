package io.erlmachine.engine.runtime;

import java.util.Map;

/**
 * A message between gears: a JSON body (as text, so that it can cross from one isolated
 * JavaScript context to another), string headers, and the tracking number it carries.
 */
public record Message(String tracking, String body, Map<String, String> headers) {
  public Message {
    headers = headers == null ? Map.of() : Map.copyOf(headers);
  }

  public Message withBody(String newBody, Map<String, String> newHeaders) {
    return new Message(tracking, newBody, newHeaders == null ? headers : newHeaders);
  }

  /** Size counted against the machine's message size limit. */
  public long size() {
    long size = body.length();
    for (Map.Entry<String, String> header : headers.entrySet()) {
      size += header.getKey().length() + header.getValue().length();
    }
    return size;
  }
}
