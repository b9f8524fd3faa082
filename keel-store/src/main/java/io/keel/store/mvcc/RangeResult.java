package io.keel.store.mvcc;

import java.util.List;

/** Keys found, how many the range holds in all (ignoring the limit), and the revision read. */
public record RangeResult(List<KeyValue> kvs, long count, long revision) {}
