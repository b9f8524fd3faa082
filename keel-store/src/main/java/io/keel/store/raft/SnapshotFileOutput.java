package io.keel.store.raft;

import com.sun.nio.file.ExtendedOpenOption;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.OpenOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.HashSet;
import java.util.Set;

/**
 * A new snapshot file written past the page cache ({@code O_DIRECT}) where the file system allows
 * it. A snapshot holds the whole state, so writing one through the page cache cost a kernel copy
 * of every byte (about two fifths of the writer's CPU) and left as many dirty pages for the
 * kernel to write back while the log's fsyncs wait; written directly, the writer waits for the
 * disk instead and the processors stay with the requests. Where {@code O_DIRECT} is refused (tmpfs,
 * some overlay file systems) the same blocks go through the page cache.
 *
 * <p>Bytes gather in an aligned 1 MiB direct buffer that goes out whole; {@link #finish} writes
 * the last block padded to the file system's block size, cuts the file to its real length and
 * forces it to disk. {@link #flush} does nothing: a direct write must be whole blocks.
 */
final class SnapshotFileOutput extends OutputStream {
  private static final int BUFFER_BYTES = 1 << 20;

  private final FileChannel channel;
  private final ByteBuffer buffer;
  private final boolean direct;
  private final int blockSize;
  private long length;
  private SnapshotPacer pacer;

  private SnapshotFileOutput(FileChannel channel, boolean direct, int blockSize) {
    this.channel = channel;
    this.direct = direct;
    this.blockSize = blockSize;
    this.buffer = ByteBuffer.allocateDirect(BUFFER_BYTES + blockSize).alignedSlice(blockSize)
        .limit(BUFFER_BYTES);
  }

  /** Creates (or truncates) {@code file}, directly if its file system allows. */
  static SnapshotFileOutput create(Path file) throws IOException {
    return create(file, true);
  }

  /** As {@link #create(Path)}; {@code tryDirect} false always goes through the page cache. */
  static SnapshotFileOutput create(Path file, boolean tryDirect) throws IOException {
    Set<OpenOption> options = Set.of(StandardOpenOption.CREATE, StandardOpenOption.WRITE,
        StandardOpenOption.TRUNCATE_EXISTING);
    int blockSize = (int) Math.max(512, Math.min(Files.getFileStore(file.getParent())
        .getBlockSize(), 65_536));
    if (tryDirect && BUFFER_BYTES % blockSize == 0) {
      try {
        Set<OpenOption> directOptions = new HashSet<>(options);
        directOptions.add(ExtendedOpenOption.DIRECT);
        return new SnapshotFileOutput(FileChannel.open(file, directOptions), true, blockSize);
      } catch (IOException | UnsupportedOperationException refused) {
        // the file system does not do O_DIRECT: through the page cache below
      }
    }
    return new SnapshotFileOutput(FileChannel.open(file, options), false, blockSize);
  }

  /** Has {@code pacer} told of every block written from now on; returns this output. */
  SnapshotFileOutput pacedBy(SnapshotPacer pacer) {
    this.pacer = pacer;
    return this;
  }

  /** Whether the file is written past the page cache. */
  boolean direct() {
    return direct;
  }

  @Override
  public void write(int b) throws IOException {
    if (!buffer.hasRemaining()) {
      drain();
    }
    buffer.put((byte) b);
  }

  @Override
  public void write(byte[] b, int off, int len) throws IOException {
    while (len > 0) {
      if (!buffer.hasRemaining()) {
        drain();
      }
      int n = Math.min(len, buffer.remaining());
      buffer.put(b, off, n);
      off += n;
      len -= n;
    }
  }

  /** Writes what is left, cuts the file to the bytes written and forces it to disk. */
  void finish() throws IOException {
    long real = length + buffer.position();
    if (buffer.position() > 0) {
      if (direct) {
        int padded = (buffer.position() + blockSize - 1) / blockSize * blockSize;
        while (buffer.position() < padded) {
          buffer.put((byte) 0);
        }
      }
      drain();
    }
    if (channel.size() != real) {
      channel.truncate(real);
    }
    length = real;
    channel.force(true);
  }

  /** Bytes written so far. */
  long length() {
    return length + buffer.position();
  }

  @Override
  public void close() throws IOException {
    channel.close();
  }

  private void drain() throws IOException {
    buffer.flip();
    length += buffer.remaining();
    while (buffer.hasRemaining()) {
      channel.write(buffer);
    }
    buffer.clear().limit(BUFFER_BYTES);
    if (pacer != null) {
      pacer.blockWritten();
    }
  }
}
