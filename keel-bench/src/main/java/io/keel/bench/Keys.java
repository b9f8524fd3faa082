package io.keel.bench;

import com.google.protobuf.ByteString;
import java.util.Arrays;
import java.util.concurrent.ThreadLocalRandom;

/** Key and value generation as etcd's tools/benchmark does it. */
public final class Keys {
  private Keys() {}

  /**
   * A {@code keySize}-byte key holding the zig-zag varint of {@code n} followed by zero
   * bytes: etcd's {@code binary.PutVarint(make([]byte, keySize), n)}.
   *
   * @throws IllegalArgumentException if the varint does not fit in {@code keySize} bytes
   */
  public static byte[] varintKey(long n, int keySize) {
    byte[] k = new byte[keySize];
    long ux = (n << 1) ^ (n >> 63);
    int i = 0;
    while (Long.compareUnsigned(ux, 0x80) >= 0) {
      if (i >= keySize) {
        throw new IllegalArgumentException("key " + n + " does not fit in " + keySize + " bytes");
      }
      k[i++] = (byte) (ux | 0x80);
      ux >>>= 7;
    }
    if (i >= keySize) {
      throw new IllegalArgumentException("key " + n + " does not fit in " + keySize + " bytes");
    }
    k[i] = (byte) ux;
    return k;
  }

  /** Number of bytes the zig-zag varint of {@code n} takes. */
  public static int varintLength(long n) {
    long ux = (n << 1) ^ (n >> 63);
    int len = 1;
    while (Long.compareUnsigned(ux, 0x80) >= 0) {
      ux >>>= 7;
      len++;
    }
    return len;
  }

  /** Checks that every key in [0, keySpaceSize) fits in {@code keySize} bytes. */
  public static void checkKeySpace(long keySpaceSize, int keySize) {
    if (keySpaceSize < 1) {
      throw new IllegalArgumentException("--key-space-size must be >= 1");
    }
    if (varintLength(keySpaceSize - 1) > keySize) {
      throw new IllegalArgumentException(
          "--key-space-size " + keySpaceSize + " needs keys longer than --key-size " + keySize);
    }
  }

  /** The key for request {@code seq}: sequential ({@code seq % space}) or uniformly random. */
  public static long keyIndex(long seq, long keySpaceSize, boolean sequential) {
    return sequential
        ? Math.floorMod(seq, keySpaceSize)
        : ThreadLocalRandom.current().nextLong(keySpaceSize);
  }

  /** {@code size} random bytes (one value shared by all requests, as etcd's benchmark does). */
  public static ByteString randomValue(int size) {
    byte[] v = new byte[size];
    ThreadLocalRandom.current().nextBytes(v);
    return ByteString.copyFrom(v);
  }

  /** etcd's GetPrefixRangeEnd: the smallest key greater than every key with this prefix. */
  public static byte[] prefixEnd(byte[] prefix) {
    byte[] end = Arrays.copyOf(prefix, prefix.length);
    for (int i = end.length - 1; i >= 0; i--) {
      if ((end[i] & 0xff) < 0xff) {
        end[i]++;
        return Arrays.copyOf(end, i + 1);
      }
    }
    return new byte[] {0};
  }
}
