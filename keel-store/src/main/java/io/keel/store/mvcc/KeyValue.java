package io.keel.store.mvcc;

/** One version of a key, as etcd's mvccpb.KeyValue. */
public record KeyValue(Bytes key, long createRevision, long modRevision, long version, Bytes value, long lease) {

  /** Bytes this version occupies in the backend, counted against the space quota. */
  public long footprint() {
    return key.size() + value.size() + 48L;
  }

  public KeyValue withoutValue() {
    return new KeyValue(key, createRevision, modRevision, version, Bytes.EMPTY, lease);
  }
}
