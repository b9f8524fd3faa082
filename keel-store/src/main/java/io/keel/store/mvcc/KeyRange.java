package io.keel.store.mvcc;

/**
 * A key interval with etcd's range_end conventions: an empty end means the single key, {@code
 * "\0"} means every key from {@code key} on, anything else is the half-open interval.
 */
public record KeyRange(Bytes key, Bytes end) {

  public static KeyRange single(Bytes key) {
    return new KeyRange(key, Bytes.EMPTY);
  }

  public boolean isSingleKey() {
    return end.isEmpty();
  }

  public boolean isOpenEnded() {
    return end.equals(Bytes.ZERO);
  }

  public boolean contains(Bytes k) {
    if (isSingleKey()) {
      return key.equals(k);
    }
    return k.compareTo(key) >= 0 && (isOpenEnded() || k.compareTo(end) < 0);
  }

  /** True when the two ranges share at least one key. */
  public boolean overlaps(KeyRange other) {
    if (isSingleKey()) {
      return other.contains(key);
    }
    if (other.isSingleKey()) {
      return contains(other.key);
    }
    boolean thisEndsAfterOtherStarts = isOpenEnded() || end.compareTo(other.key) > 0;
    boolean otherEndsAfterThisStarts = other.isOpenEnded() || other.end.compareTo(key) > 0;
    return thisEndsAfterOtherStarts && otherEndsAfterThisStarts;
  }
}
