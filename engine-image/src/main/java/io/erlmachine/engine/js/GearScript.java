package io.erlmachine.engine.js;

import io.erlmachine.engine.runtime.GearFailure;
import org.graalvm.polyglot.PolyglotException;
import org.graalvm.polyglot.SourceSection;
import org.graalvm.polyglot.Value;

/**
 * One gear's module instance inside its gearbox's context: its own module scope and gear state.
 * Dropping it forgets that state; the context and the other gears in it stay as they are.
 */
final class GearScript {
  /** Which function the module exports for its prototype. */
  enum Mode { RECEIVE, ROUTE, ACCEPT }

  private final GearboxContext owner;
  private final int generation;
  private final Value handle;
  private final Value snapshot;
  private final String fileName;
  private final String sourceName;

  GearScript(GearboxContext owner, int generation, Value handler, String fileName, String sourceName) {
    this.owner = owner;
    this.generation = generation;
    this.handle = handler.getMember("handle");
    this.snapshot = handler.getMember("snapshot");
    this.fileName = fileName;
    this.sourceName = sourceName;
  }

  GearboxContext owner() {
    return owner;
  }

  /** Whether the context this instance lived in was cancelled and replaced (its state is gone). */
  boolean stale() {
    return owner.generation() != generation;
  }

  /**
   * Runs the module's function on one message whose body is JSON text ({@code isText}) or a value
   * of this context; returns null for receive, the output names for route, a boolean for accept.
   */
  Value handle(Object body, boolean isText, String headersJson, String tracking) {
    owner.enter();
    try {
      return handle.execute(body, isText, headersJson, tracking);
    } catch (PolyglotException e) {
      owner.lostIfCancelled(e);
      throw new GearFailure(describe(e).replace(sourceName, fileName), e);
    } finally {
      owner.leave();
    }
  }

  String snapshot() {
    owner.enter();
    try {
      Value result = snapshot.execute();
      return result.isNull() ? "null" : result.asString();
    } catch (PolyglotException e) {
      owner.lostIfCancelled(e);
      throw new GearFailure("cannot take a snapshot of gear.state: " + describe(e).replace(sourceName, fileName), e);
    } finally {
      owner.leave();
    }
  }

  /** A polyglot error in the user's terms: what happened and where in their module. */
  static String describe(PolyglotException e) {
    if (e.isHostException() && e.asHostException() instanceof GearFailure failure) {
      return failure.getMessage();
    }
    if (e.isResourceExhausted()) {
      return "exceeded a limit: " + e.getMessage();
    }
    if (e.isCancelled()) {
      return "cancelled";
    }
    if (e.isInterrupted()) {
      return "interrupted";
    }
    return e.getMessage() + where(e);
  }

  /** The innermost place in the gear's own code, such as " (price.mjs:4)". */
  private static String where(PolyglotException e) {
    SourceSection location = e.getSourceLocation();
    if (location != null && GearboxContext.PRELUDE_NAME.equals(location.getSource().getName())) {
      location = null;
    }
    if (location == null) {
      for (PolyglotException.StackFrame frame : e.getPolyglotStackTrace()) {
        if (frame.isGuestFrame() && frame.getSourceLocation() != null && !frame.getSourceLocation().getSource().isInternal()
            && !GearboxContext.PRELUDE_NAME.equals(frame.getSourceLocation().getSource().getName())) {
          location = frame.getSourceLocation();
          break;
        }
      }
    }
    return location == null ? "" : " (" + location.getSource().getName() + ":" + location.getStartLine() + ")";
  }
}
