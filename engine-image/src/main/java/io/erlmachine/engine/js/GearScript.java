package io.erlmachine.engine.js;

import io.erlmachine.engine.runtime.GearFailure;
import java.io.OutputStream;
import java.util.Map;
import org.graalvm.polyglot.Context;
import org.graalvm.polyglot.EnvironmentAccess;
import org.graalvm.polyglot.HostAccess;
import org.graalvm.polyglot.PolyglotAccess;
import org.graalvm.polyglot.PolyglotException;
import org.graalvm.polyglot.Source;
import org.graalvm.polyglot.SourceSection;
import org.graalvm.polyglot.Value;
import org.graalvm.polyglot.io.IOAccess;

/**
 * One gear's JavaScript module in its own sandboxed context: no host classes, no IO, no
 * threads, no processes, no native code, no environment, no other languages; a statement
 * budget per message. The only way out is the {@link GearHost} the gear is given.
 */
final class GearScript implements AutoCloseable {
  private static final Source BINDER = Source.newBuilder("js", """
      (host) => {
        delete globalThis.Java;
        delete globalThis.Graal;
        delete globalThis.load;
        delete globalThis.loadWithNewGlobal;
        const text = (args) => args.map(a => typeof a === 'string' ? a : JSON.stringify(a)).join(' ');
        const log = Object.freeze({
          debug: (...a) => host.log('DEBUG', text(a)),
          info: (...a) => host.log('INFO', text(a)),
          warn: (...a) => host.log('WARN', text(a)),
          error: (...a) => host.log('ERROR', text(a)),
        });
        globalThis.console = Object.freeze({ log: log.info, info: log.info, debug: log.debug, warn: log.warn, error: log.error });
        const gear = {
          name: host.name,
          gearbox: host.gearbox,
          machine: host.machine,
          state: {},
          log,
          emit(body, headers) {
            host.emit(JSON.stringify(body === undefined ? null : body), headers === undefined ? null : JSON.stringify(headers));
          },
          data(key) {
            const value = host.data(String(key));
            return value === null ? undefined : value;
          },
          http: Object.freeze({
            request(options) {
              const body = options.body === undefined || options.body === null ? null
                : typeof options.body === 'string' ? options.body : JSON.stringify(options.body);
              return JSON.parse(host.http(String(options.method || 'GET').toUpperCase(), String(options.url),
                JSON.stringify(options.headers || {}), body));
            },
            get(url, headers) { return this.request({ method: 'GET', url, headers }); },
            post(url, body, headers) { return this.request({ method: 'POST', url, body, headers }); },
          }),
        };
        Object.freeze(gear);
        const call = (fn, name) => {
          if (typeof fn !== 'function') {
            throw new TypeError('the module must export a function ' + name);
          }
          return fn;
        };
        return (ns, mode) => {
          if (typeof ns.init === 'function') ns.init(gear);
          const message = (bodyJson, headersJson, tracking) =>
            Object.freeze({ body: JSON.parse(bodyJson), headers: Object.freeze(JSON.parse(headersJson)), tracking });
          const snapshot = () => JSON.stringify(gear.state);
          if (mode === 'receive') {
            const receive = call(ns.receive, 'receive(message, gear)');
            return { snapshot, handle(bodyJson, headersJson, tracking) {
              const result = receive(message(bodyJson, headersJson, tracking), gear);
              if (result !== undefined && result !== null) {
                if (typeof result.then === 'function') throw new TypeError('receive must return a value, not a promise');
                gear.emit(result);
              }
              return null;
            } };
          }
          if (mode === 'route') {
            const route = call(ns.route, 'route(message)');
            return { snapshot, handle(bodyJson, headersJson, tracking) {
              const names = route(message(bodyJson, headersJson, tracking), gear);
              return JSON.stringify(names === undefined || names === null ? [] : [].concat(names).map(String));
            } };
          }
          const accept = call(ns.accept, 'accept(message)');
          return { snapshot, handle(bodyJson, headersJson, tracking) {
            return accept(message(bodyJson, headersJson, tracking), gear) ? 'true' : 'false';
          } };
        };
      }
      """, "erlmachine-gear-binder.js").buildLiteral();

  /** Which function the module exports for its prototype. */
  enum Mode { RECEIVE, ROUTE, ACCEPT }

  private final Context context;
  private final Value handler;
  private final Value handle;
  private final String fileName;
  private final String sourceName;

  GearScript(JsPlatform platform, String fileName, String code, Map<String, String> tools, Mode mode, GearHost host,
             long statementLimit) {
    this.fileName = fileName;
    this.sourceName = JsPlatform.sharedSourceName(code);
    this.context = Context.newBuilder("js")
        .engine(platform.engine())
        .allowHostAccess(HostAccess.NONE)
        .allowHostClassLookup(className -> false)
        .allowIO(tools.isEmpty() ? IOAccess.NONE : IOAccess.newBuilder().fileSystem(new ToolFileSystem(tools)).build())
        .allowCreateThread(false)
        .allowCreateProcess(false)
        .allowNativeAccess(false)
        .allowEnvironmentAccess(EnvironmentAccess.NONE)
        .allowPolyglotAccess(PolyglotAccess.NONE)
        .allowValueSharing(false)
        .option("js.esm-eval-returns-exports", "true")
        .resourceLimits(platform.statementLimit(statementLimit))
        .out(OutputStream.nullOutputStream())
        .err(OutputStream.nullOutputStream())
        .build();
    try {
      Value bind = context.eval(BINDER).execute(host);
      Value namespace = context.eval(Source.newBuilder("js", code, sourceName).mimeType("application/javascript+module").buildLiteral());
      this.handler = bind.execute(namespace, mode.name().toLowerCase());
      this.handle = handler.getMember("handle");
      context.resetLimits();
    } catch (PolyglotException e) {
      context.close(true);
      throw new GearFailure(describe(e).replace(sourceName, fileName), e);
    } catch (RuntimeException e) {
      context.close(true);
      throw e;
    }
  }

  /** Runs the module's function on one message; returns its JSON result for route and accept. */
  String handle(String bodyJson, String headersJson, String tracking) {
    context.resetLimits();
    try {
      Value result = handle.execute(bodyJson, headersJson, tracking);
      return result.isNull() ? null : result.asString();
    } catch (PolyglotException e) {
      throw new GearFailure(describe(e).replace(sourceName, fileName), e);
    }
  }

  String snapshot() {
    context.resetLimits();
    try {
      Value result = handler.getMember("snapshot").execute();
      return result.isNull() ? "null" : result.asString();
    } catch (PolyglotException e) {
      throw new GearFailure("cannot take a snapshot of gear.state: " + describe(e).replace(sourceName, fileName), e);
    }
  }

  /** Stops a running handle() from another thread; the context is unusable afterwards. */
  void cancel() {
    context.close(true);
  }

  @Override
  public void close() {
    try {
      context.close(true);
    } catch (IllegalStateException | PolyglotException e) {
      // Already closed, or closing while a cancelled call unwinds; either way it is gone.
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
    return e.getMessage() + where(e);
  }

  /** The innermost place in the gear's own code, such as " (price.mjs:4)". */
  private static String where(PolyglotException e) {
    SourceSection location = e.getSourceLocation();
    if (location == null) {
      for (PolyglotException.StackFrame frame : e.getPolyglotStackTrace()) {
        if (frame.isGuestFrame() && frame.getSourceLocation() != null && !frame.getSourceLocation().getSource().isInternal()
            && !BINDER.getName().equals(frame.getSourceLocation().getSource().getName())) {
          location = frame.getSourceLocation();
          break;
        }
      }
    }
    return location == null ? "" : " (" + location.getSource().getName() + ":" + location.getStartLine() + ")";
  }
}
