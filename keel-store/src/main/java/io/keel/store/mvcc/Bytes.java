package io.keel.store.mvcc;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/** An immutable byte string ordered as etcd orders keys: unsigned lexicographic. */
public final class Bytes implements Comparable<Bytes> {
  public static final Bytes EMPTY = new Bytes(new byte[0]);
  /** etcd's "\0" range end: every key greater than or equal to the start key. */
  public static final Bytes ZERO = new Bytes(new byte[] {0});

  private final byte[] data;
  private int hash;

  private Bytes(byte[] data) {
    this.data = data;
  }

  /** Wraps without copying; the caller must not change the array afterwards. */
  public static Bytes wrap(byte[] data) {
    return data.length == 0 ? EMPTY : new Bytes(data);
  }

  public static Bytes of(String utf8) {
    return wrap(utf8.getBytes(StandardCharsets.UTF_8));
  }

  /** The raw array; callers must not modify it. */
  public byte[] array() {
    return data;
  }

  public int size() {
    return data.length;
  }

  public boolean isEmpty() {
    return data.length == 0;
  }

  @Override
  public int compareTo(Bytes o) {
    return Arrays.compareUnsigned(data, o.data);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Bytes b && Arrays.equals(data, b.data);
  }

  @Override
  public int hashCode() {
    int h = hash;
    if (h == 0) {
      h = Arrays.hashCode(data);
      hash = h;
    }
    return h;
  }

  @Override
  public String toString() {
    return new String(data, StandardCharsets.UTF_8);
  }
}
