package io.keel.store.raft;

import io.keel.store.auth.Caller;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import org.apache.ratis.thirdparty.com.google.protobuf.ByteString;

/**
 * {@link Command#AS_USER} entries: {@code AS_USER}, the caller's auth revision (8 bytes), its
 * user name (Java's modified UTF-8 with a 2-byte length), then the tagged entry it sent. Entries
 * without the wrapper come from a caller without a token. Entries are Ratis's (shaded) byte
 * strings, as the state machine gets them: unwrapping copies nothing.
 */
public final class CallerEntries {
  /** An unwrapped entry and who sent it. */
  public record Unwrapped(Caller caller, ByteString entry) {}

  private CallerEntries() {}

  public static byte[] wrap(Caller caller, byte[] entry) {
    var bytes = new ByteArrayOutputStream(entry.length + 16 + caller.user().length());
    try (var out = new DataOutputStream(bytes)) {
      out.writeByte(Command.AS_USER.tag());
      out.writeLong(caller.authRevision());
      out.writeUTF(caller.user());
      out.write(entry);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return bytes.toByteArray();
  }

  /** @throws IllegalArgumentException when the entry is not a whole wrapper around an entry */
  public static Unwrapped unwrap(ByteString wrapped) {
    try (var in = new DataInputStream(wrapped.newInput())) {
      if (in.readByte() != Command.AS_USER.tag()) {
        throw new IllegalArgumentException("not an AS_USER entry");
      }
      long revision = in.readLong();
      String user = in.readUTF();
      int consumed = wrapped.size() - in.available();
      ByteString entry = wrapped.substring(consumed);
      if (entry.isEmpty() || entry.byteAt(0) == Command.AS_USER.tag()) {
        throw new IllegalArgumentException("AS_USER entry wraps no single entry");
      }
      return new Unwrapped(new Caller(user, revision), entry);
    } catch (IOException e) {
      throw new IllegalArgumentException("truncated AS_USER entry", e);
    }
  }
}
