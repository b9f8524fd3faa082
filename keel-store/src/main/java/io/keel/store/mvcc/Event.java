package io.keel.store.mvcc;

/**
 * A change at one revision. For a delete, {@code kv} carries the key and the deleting revision
 * only, as etcd's tombstone events do.
 */
public record Event(Type type, KeyValue kv, KeyValue prevKv) {
  public enum Type { PUT, DELETE }

  public long revision() {
    return kv.modRevision();
  }
}
