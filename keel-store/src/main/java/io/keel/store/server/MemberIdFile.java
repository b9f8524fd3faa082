package io.keel.store.server;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.OptionalLong;

/**
 * The id {@code member add} gave this member, kept in its data dir ({@value #FILE}, 16 hex
 * digits) from its first start on, as etcd keeps it in its WAL: unlike an initial member's, it
 * cannot be computed again from the flags. Initial members have no such file.
 */
public final class MemberIdFile {
  static final String FILE = "member-id";

  private MemberIdFile() {}

  /** The recorded id, if the data dir holds one. */
  public static OptionalLong read(Path dataDir) {
    Path file = dataDir.resolve(FILE);
    if (!Files.exists(file)) {
      return OptionalLong.empty();
    }
    String text;
    try {
      text = Files.readString(file, StandardCharsets.US_ASCII).strip();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + file + ": " + e.getMessage(), e);
    }
    if (!text.matches("[0-9a-f]{1,16}")) {
      throw new IllegalArgumentException(file + " is damaged: it holds '"
          + (text.length() > 40 ? text.substring(0, 40) + "..." : text)
          + "', not a member id (up to 16 hex digits)");
    }
    return OptionalLong.of(Long.parseUnsignedLong(text, 16));
  }

  /** Records {@code id} atomically and durably (temporary file, fsync, rename). */
  public static void write(Path dataDir, long id) {
    Path file = dataDir.resolve(FILE);
    Path tmp = dataDir.resolve(FILE + ".tmp");
    try {
      Files.createDirectories(dataDir);
      Files.writeString(tmp, Long.toHexString(id) + "\n", StandardCharsets.US_ASCII);
      try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.WRITE)) {
        ch.force(true);
      }
      Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write " + file + ": " + e.getMessage(), e);
    }
  }
}
