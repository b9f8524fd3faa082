package io.keel.store.mvcc;

import java.util.List;

/**
 * Keys found, how many the range holds in all (ignoring the limit), and the store's current
 * revision (as etcd's header reports it, even for a read at an older revision).
 */
public record RangeResult(List<KeyValue> kvs, long count, long revision) {}
