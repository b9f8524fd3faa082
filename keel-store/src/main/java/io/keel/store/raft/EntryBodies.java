package io.keel.store.raft;

import com.google.protobuf.CodedInputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import org.apache.ratis.thirdparty.com.google.protobuf.ByteOutput;
import org.apache.ratis.thirdparty.com.google.protobuf.ByteString;
import org.apache.ratis.thirdparty.com.google.protobuf.UnsafeByteOperations;

/**
 * The request inside a logged entry (after its one-byte {@link Command} tag), for parsing. {@link
 * #input} reads it in place: the log entry's bytes are not copied, and the parsed request's bytes
 * fields point into them, so a request parsed from it must not be kept (the applier copies the
 * keys and values it stores). An entry that is not one array is copied.
 */
final class EntryBodies {
  private EntryBodies() {}

  /** A protobuf input over the request, aliasing the entry's bytes. */
  static CodedInputStream input(ByteString entry) {
    var array = new SingleArray();
    try {
      UnsafeByteOperations.unsafeWriteTo(entry, array);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    CodedInputStream input = array.found()
        ? CodedInputStream.newInstance(array.bytes, array.offset + 1, array.length - 1)
        : CodedInputStream.newInstance(body(entry));
    input.enableAliasing(true);
    return input;
  }

  /** A copy of the request's bytes. */
  static byte[] body(ByteString entry) {
    return entry.substring(1).toByteArray();
  }

  /** Where an entry's bytes are, if they are one array: its only write is one array, lent. */
  private static final class SingleArray extends ByteOutput {
    private int writes;
    private byte[] bytes;
    private int offset;
    private int length;

    boolean found() {
      return writes == 1 && bytes != null;
    }

    @Override
    public void writeLazy(byte[] value, int offset, int length) {
      writes++;
      this.bytes = value;
      this.offset = offset;
      this.length = length;
    }

    @Override
    public void write(byte[] value, int offset, int length) {
      writes++;
      bytes = null;
    }

    @Override
    public void write(byte value) {
      writes++;
      bytes = null;
    }

    @Override
    public void write(ByteBuffer value) {
      writes++;
      bytes = null;
    }

    @Override
    public void writeLazy(ByteBuffer value) {
      writes++;
      bytes = null;
    }
  }
}
