package io.keel.store.raft;

import io.keel.store.mvcc.KeyValue;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;

/**
 * The buffer a snapshot is written through: fields go straight into a 1 MiB array, which reaches
 * the stream below in whole blocks. A snapshot holds every kept version of every key, so the
 * per-version cost matters; a {@code DataOutputStream} over a {@code BufferedOutputStream} pays a
 * call and a lock per field. Big-endian, as {@code DataOutputStream} writes.
 */
final class SnapshotOutput extends OutputStream {
  private static final int VERSION_FIXED_BYTES = 1 + 4 + 4 * 8 + 4 + 4;

  private final OutputStream out;
  private final ByteBuffer buffer = ByteBuffer.allocate(1 << 20);

  SnapshotOutput(OutputStream out) {
    this.out = out;
  }

  /** One version record: a marker, the key, its revisions, version, lease, sub-index, value. */
  void writeVersion(KeyValue kv, int sub) {
    try {
      byte[] key = kv.key().array();
      byte[] value = kv.value().array();
      if (VERSION_FIXED_BYTES + key.length + value.length > buffer.remaining()) {
        drain();
      }
      buffer.put((byte) 1);
      putBytes(key);
      buffer.putLong(kv.createRevision()).putLong(kv.modRevision()).putLong(kv.version())
          .putLong(kv.lease()).putInt(sub);
      putBytes(value);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private void putBytes(byte[] b) throws IOException {
    buffer.putInt(b.length);
    write(b, 0, b.length);
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
    if (len > buffer.remaining()) {
      drain();
      if (len > buffer.capacity()) {
        out.write(b, off, len);
        return;
      }
    }
    buffer.put(b, off, len);
  }

  @Override
  public void flush() throws IOException {
    drain();
    out.flush();
  }

  private void drain() throws IOException {
    if (buffer.position() > 0) {
      out.write(buffer.array(), 0, buffer.position());
      buffer.clear();
    }
  }
}
