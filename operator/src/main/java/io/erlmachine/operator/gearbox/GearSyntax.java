package io.erlmachine.operator.gearbox;

import jakarta.annotation.PreDestroy;
import jakarta.inject.Singleton;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import org.graalvm.polyglot.Context;
import org.graalvm.polyglot.Engine;
import org.graalvm.polyglot.PolyglotException;
import org.graalvm.polyglot.Source;
import org.graalvm.polyglot.SourceSection;
import org.graalvm.polyglot.io.IOAccess;

/**
 * Checks the syntax of gear and tool modules with the parser the engine runs them with, so
 * that bad JavaScript is reported on the Gearbox before any engine loads it. Code is parsed,
 * never run. Verdicts are remembered by a digest of the code: a resync parses nothing again.
 */
@Singleton
public class GearSyntax implements AutoCloseable {
  private static final int REMEMBERED_VERDICTS = 1024;
  private static final String MODULE = "application/javascript+module";

  private final Map<String, Optional<String>> verdictByDigest = new LinkedHashMap<>(64, 0.75f, true) {
    @Override
    protected boolean removeEldestEntry(Map.Entry<String, Optional<String>> eldest) {
      return size() > REMEMBERED_VERDICTS;
    }
  };
  private Engine engine;

  /** The syntax error in a module, as "file:line:column: message", or empty when it parses. */
  public synchronized Optional<String> problem(String fileName, String code) {
    String digest = digest(code);
    Optional<String> verdict = verdictByDigest.get(digest);
    if (verdict == null) {
      verdict = parse(code);
      verdictByDigest.put(digest, verdict);
    }
    return verdict.map(where -> fileName + where);
  }

  private Optional<String> parse(String code) {
    try (Context context = Context.newBuilder("js").engine(engine()).allowIO(IOAccess.NONE).build()) {
      context.parse(Source.newBuilder("js", code, "gear.mjs").mimeType(MODULE).buildLiteral());
      return Optional.empty();
    } catch (PolyglotException e) {
      if (e.isResourceExhausted()) {
        return Optional.of(": cannot be parsed, nested too deeply or too large (" + e.getMessage() + ")");
      }
      if (!e.isSyntaxError()) {
        throw e;
      }
      SourceSection at = e.getSourceLocation();
      String place = at == null ? "" : ":" + at.getStartLine() + ":" + at.getStartColumn();
      return Optional.of(place + ": " + firstLine(e.getMessage()));
    }
  }

  private static String digest(String code) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(code.getBytes(StandardCharsets.UTF_8)));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is part of every JDK", e);
    }
  }

  /** GraalJS repeats the file and position in the message and adds a code excerpt; keep the gist. */
  private static String firstLine(String message) {
    String line = message.lines().findFirst().orElse(message);
    return line.replaceFirst("^(SyntaxError: )gear\\.mjs:\\d+:\\d+ ", "$1");
  }

  private Engine engine() {
    if (engine == null) {
      engine = Engine.newBuilder("js")
          .option("engine.WarnInterpreterOnly", "false")
          .out(OutputStream.nullOutputStream())
          .err(OutputStream.nullOutputStream())
          .build();
    }
    return engine;
  }

  @Override
  @PreDestroy
  public synchronized void close() {
    if (engine != null) {
      engine.close();
    }
  }
}
