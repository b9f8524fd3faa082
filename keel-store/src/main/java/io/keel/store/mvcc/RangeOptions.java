package io.keel.store.mvcc;

/**
 * @param limit at most this many keys (0: all)
 * @param revision read at this revision (0 or less: the current one)
 * @param countOnly count the keys without returning them
 */
public record RangeOptions(long limit, long revision, boolean countOnly) {
  public static final RangeOptions ALL = new RangeOptions(0, 0, false);
}
