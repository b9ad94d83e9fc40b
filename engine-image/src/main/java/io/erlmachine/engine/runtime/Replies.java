package io.erlmachine.engine.runtime;

import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Replies awaited by request-reply senders on other machines: the first message a gear emits
 * while handling a request (or null when it emits none) completes the request's future.
 */
public final class Replies {
  /** Header that marks a message as a request awaiting a reply. */
  public static final String REPLY_ID_HEADER = "erlmachine-reply-id";
  private final Map<String, CompletableFuture<String>> waiting = new ConcurrentHashMap<>();

  public CompletableFuture<String> await(String replyId) {
    return waiting.computeIfAbsent(replyId, id -> new CompletableFuture<>());
  }

  public void forget(String replyId) {
    waiting.remove(replyId);
  }

  /** Completes the request's reply with the first message the gear emitted (its text is made only when awaited). */
  void complete(Message request, Message reply) {
    String id = request.headers().get(REPLY_ID_HEADER);
    CompletableFuture<String> future = id == null ? null : waiting.remove(id);
    if (future != null) {
      future.complete(reply == null ? null : reply.body());
    }
  }

  void fail(Message request, String reason) {
    String id = request.headers().get(REPLY_ID_HEADER);
    CompletableFuture<String> future = id == null ? null : waiting.remove(id);
    if (future != null) {
      future.completeExceptionally(new GearFailure(reason));
    }
  }
}
