package io.keel.store.mvcc;

/** A request the store refuses; {@link #error()} names the etcd error it maps to. */
public final class MvccException extends RuntimeException {
  private final StoreError error;

  public MvccException(StoreError error) {
    super(error.message(), null, false, false);
    this.error = error;
  }

  public StoreError error() {
    return error;
  }
}
