package io.erlmachine.engine.runtime;

import java.util.Map;
import java.util.Objects;

/**
 * A message: a JSON body, string headers, and the tracking number it carries. Between the gears
 * of one gearbox the body travels as a live JavaScript value ({@link LiveBody}); JSON text is
 * made from it only where the message leaves (a transmission, a dead letter, a reply, a
 * counter's byte count) and only once. Messages from outside arrive as text.
 */
public final class Message {
  private final String tracking;
  private final Map<String, String> headers;
  private final LiveBody live;
  private String text;

  /** A body that lives in a JavaScript context; its JSON text is made on the gearbox's lane only. */
  public interface LiveBody {
    /** The body as JSON text; called at most once per message, on the lane that owns the value. */
    String toJson();
  }

  public Message(String tracking, String body, Map<String, String> headers) {
    this(tracking, Objects.requireNonNull(body, "body"), null, headers);
  }

  private Message(String tracking, String text, LiveBody live, Map<String, String> headers) {
    this.tracking = tracking;
    this.text = text;
    this.live = live;
    this.headers = headers == null ? Map.of() : Map.copyOf(headers);
  }

  /** A message whose body is a JavaScript value, turned into text only if it leaves the gearbox. */
  public static Message live(String tracking, LiveBody body, Map<String, String> headers) {
    return new Message(tracking, null, Objects.requireNonNull(body, "body"), headers);
  }

  public String tracking() {
    return tracking;
  }

  public Map<String, String> headers() {
    return headers;
  }

  /** The live value, or null when the body is only text. */
  public LiveBody live() {
    return live;
  }

  /** Whether the body is already text (so reading it is free and safe from any thread). */
  public boolean hasText() {
    return text != null;
  }

  /** The body as JSON text; for a live body, call this on the gearbox's lane (see {@link #asText()}). */
  public String body() {
    if (text == null) {
      text = live.toJson();
    }
    return text;
  }

  /** This message with its body as text, ready to leave the lane (a transmission, a dead letter). */
  public Message asText() {
    return live == null ? this : new Message(tracking, body(), null, headers);
  }

  public Message withBody(String newBody, Map<String, String> newHeaders) {
    return new Message(tracking, newBody, newHeaders == null ? headers : newHeaders);
  }

  /** Size counted against the machine's message size limit (makes the text of a live body). */
  public long size() {
    long size = body().length();
    for (Map.Entry<String, String> header : headers.entrySet()) {
      size += header.getKey().length() + header.getValue().length();
    }
    return size;
  }

  @Override
  public boolean equals(Object other) {
    return other instanceof Message message && Objects.equals(tracking, message.tracking) && headers.equals(message.headers)
        && body().equals(message.body());
  }

  @Override
  public int hashCode() {
    return Objects.hash(tracking, headers);
  }

  @Override
  public String toString() {
    return "Message[tracking=" + tracking + ", headers=" + headers + ", body=" + (text != null ? text : "(a JavaScript value)") + "]";
  }
}
