package io.keel.store.raft;

import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.List;
import org.apache.ratis.thirdparty.com.google.protobuf.ByteString;

/**
 * The encoding of a {@link Command#BATCH} log entry and of its result. The entry is the tag byte
 * followed by the count and then each tagged entry, length-prefixed; the result is the count and
 * then each entry's encoded {@link Results}, length-prefixed, in the same order. Lengths and
 * counts are unsigned varints.
 */
final class Batches {
  private Batches() {}

  /** One {@link Command#BATCH} entry holding {@code entries} (each a tagged entry) in order. */
  static byte[] entry(List<byte[]> entries) {
    ByteArrayOutputStream out = new ByteArrayOutputStream(encodedSize(entries) + 1);
    out.write(Command.BATCH.tag());
    writeList(out, entries);
    return out.toByteArray();
  }

  /** A batch's result: each entry's encoded result, in order. */
  static byte[] results(List<byte[]> results) {
    ByteArrayOutputStream out = new ByteArrayOutputStream(encodedSize(results));
    writeList(out, results);
    return out.toByteArray();
  }

  private static int encodedSize(List<byte[]> parts) {
    int size = varintSize(parts.size());
    for (byte[] p : parts) {
      size += varintSize(p.length) + p.length;
    }
    return size;
  }

  private static void writeList(ByteArrayOutputStream out, List<byte[]> parts) {
    writeVarint(out, parts.size());
    for (byte[] p : parts) {
      writeVarint(out, p.length);
      out.write(p, 0, p.length);
    }
  }

  /**
   * The tagged entries of a batch entry (tag included), as views of {@code batch}.
   *
   * @throws IllegalArgumentException when the entry is truncated or malformed
   */
  static List<ByteString> entries(ByteString batch) {
    int[] pos = {1};
    int count = readVarint(batch, pos);
    List<ByteString> out = new ArrayList<>(Math.min(count, 1024));
    for (int i = 0; i < count; i++) {
      int length = readVarint(batch, pos);
      if (length < 0 || pos[0] + length > batch.size()) {
        throw new IllegalArgumentException("truncated batch entry");
      }
      out.add(batch.substring(pos[0], pos[0] + length));
      pos[0] += length;
    }
    if (pos[0] != batch.size()) {
      throw new IllegalArgumentException("trailing bytes after a batch entry");
    }
    return out;
  }

  /**
   * The per-entry results of a batch's result.
   *
   * @throws IllegalArgumentException when it is truncated or malformed
   */
  static List<byte[]> results(byte[] encoded) {
    int[] pos = {0};
    int count = readVarint(encoded, pos);
    List<byte[]> out = new ArrayList<>(Math.min(count, 1024));
    for (int i = 0; i < count; i++) {
      int length = readVarint(encoded, pos);
      if (length < 0 || pos[0] + length > encoded.length) {
        throw new IllegalArgumentException("truncated batch result");
      }
      byte[] one = new byte[length];
      System.arraycopy(encoded, pos[0], one, 0, length);
      out.add(one);
      pos[0] += length;
    }
    if (pos[0] != encoded.length) {
      throw new IllegalArgumentException("trailing bytes after a batch result");
    }
    return out;
  }

  private static int varintSize(int value) {
    int size = 1;
    while ((value & ~0x7F) != 0) {
      value >>>= 7;
      size++;
    }
    return size;
  }

  private static void writeVarint(ByteArrayOutputStream out, int value) {
    while ((value & ~0x7F) != 0) {
      out.write((value & 0x7F) | 0x80);
      value >>>= 7;
    }
    out.write(value);
  }

  private static int readVarint(byte[] in, int[] pos) {
    int value = 0;
    for (int shift = 0; shift < 35; shift += 7) {
      if (pos[0] >= in.length) {
        throw new IllegalArgumentException("truncated varint");
      }
      byte b = in[pos[0]++];
      value |= (b & 0x7F) << shift;
      if ((b & 0x80) == 0) {
        return value;
      }
    }
    throw new IllegalArgumentException("malformed varint");
  }

  private static int readVarint(ByteString in, int[] pos) {
    int value = 0;
    for (int shift = 0; shift < 35; shift += 7) {
      if (pos[0] >= in.size()) {
        throw new IllegalArgumentException("truncated varint");
      }
      byte b = in.byteAt(pos[0]++);
      value |= (b & 0x7F) << shift;
      if ((b & 0x80) == 0) {
        return value;
      }
    }
    throw new IllegalArgumentException("malformed varint");
  }
}
