package io.erlmachine.engine.js;

import java.io.IOException;
import java.net.URI;
import java.nio.ByteBuffer;
import java.nio.channels.SeekableByteChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessMode;
import java.nio.file.DirectoryStream;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.OpenOption;
import java.nio.file.Path;
import java.nio.file.attribute.FileAttribute;
import java.util.Map;
import java.util.Set;

/**
 * The only files a gear can see: its gearbox's tools, read-only, by name. {@code import { x }
 * from 'rules'} (or 'rules.mjs', './rules.js') loads the tool named rules; everything else does
 * not exist.
 */
final class ToolFileSystem implements org.graalvm.polyglot.io.FileSystem {
  private static final Path ROOT = Path.of("/erlmachine/tools");
  private final Map<String, String> tools;

  ToolFileSystem(Map<String, String> tools) {
    this.tools = Map.copyOf(tools);
  }

  @Override
  public Path parsePath(URI uri) {
    return Path.of(uri.getPath());
  }

  @Override
  public Path parsePath(String path) {
    return Path.of(path);
  }

  @Override
  public void checkAccess(Path path, Set<? extends AccessMode> modes, LinkOption... linkOptions) throws IOException {
    if (modes.contains(AccessMode.WRITE) || modes.contains(AccessMode.EXECUTE)) {
      throw new IOException("tools are read-only");
    }
    source(path);
  }

  @Override
  public void createDirectory(Path dir, FileAttribute<?>... attrs) throws IOException {
    throw new IOException("tools are read-only");
  }

  @Override
  public void delete(Path path) throws IOException {
    throw new IOException("tools are read-only");
  }

  @Override
  public SeekableByteChannel newByteChannel(Path path, Set<? extends OpenOption> options, FileAttribute<?>... attrs) throws IOException {
    return new ReadOnlyChannel(source(path).getBytes(StandardCharsets.UTF_8));
  }

  @Override
  public DirectoryStream<Path> newDirectoryStream(Path dir, DirectoryStream.Filter<? super Path> filter) throws IOException {
    throw new NoSuchFileException(dir.toString(), null, "gears cannot list files");
  }

  @Override
  public Path toAbsolutePath(Path path) {
    return path.isAbsolute() ? path : ROOT.resolve(path).normalize();
  }

  @Override
  public Path toRealPath(Path path, LinkOption... linkOptions) {
    return toAbsolutePath(path);
  }

  @Override
  public Map<String, Object> readAttributes(Path path, String attributes, LinkOption... options) throws IOException {
    String source = source(path);
    return Map.of("isRegularFile", true, "isDirectory", false, "isSymbolicLink", false, "isOther", false,
        "size", (long) source.getBytes(StandardCharsets.UTF_8).length);
  }

  private String source(Path path) throws NoSuchFileException {
    Path name = path.getFileName();
    String tool = name == null ? "" : name.toString().replaceFirst("\\.(mjs|js)$", "");
    String source = tools.get(tool);
    if (source == null) {
      throw new NoSuchFileException(path.toString(), null, "no tool named " + tool + "; this gearbox has " + tools.keySet());
    }
    return source;
  }

  /** A channel over bytes in memory that refuses writes. */
  private static final class ReadOnlyChannel implements SeekableByteChannel {
    private final byte[] bytes;
    private int position;
    private boolean open = true;

    ReadOnlyChannel(byte[] bytes) {
      this.bytes = bytes;
    }

    @Override
    public int read(ByteBuffer destination) {
      if (position >= bytes.length) {
        return -1;
      }
      int count = Math.min(destination.remaining(), bytes.length - position);
      destination.put(bytes, position, count);
      position += count;
      return count;
    }

    @Override
    public int write(ByteBuffer source) throws IOException {
      throw new IOException("tools are read-only");
    }

    @Override
    public long position() {
      return position;
    }

    @Override
    public SeekableByteChannel position(long newPosition) {
      position = (int) Math.min(newPosition, bytes.length);
      return this;
    }

    @Override
    public long size() {
      return bytes.length;
    }

    @Override
    public SeekableByteChannel truncate(long size) throws IOException {
      throw new IOException("tools are read-only");
    }

    @Override
    public boolean isOpen() {
      return open;
    }

    @Override
    public void close() {
      open = false;
    }
  }
}
