package io.keel.store.lease;

import io.keel.store.mvcc.Bytes;
import java.time.Instant;
import java.util.Set;
import java.util.TreeSet;

/** A granted lease: its TTL, the keys attached to it, and (on the leader) when it expires. */
public final class Lease {
  private final long id;
  private final long ttlSeconds;
  private final Set<Bytes> keys = new TreeSet<>();
  private volatile Instant expiry;

  Lease(long id, long ttlSeconds, Instant expiry) {
    this.id = id;
    this.ttlSeconds = ttlSeconds;
    this.expiry = expiry;
  }

  public long id() {
    return id;
  }

  public long ttlSeconds() {
    return ttlSeconds;
  }

  public Instant expiry() {
    return expiry;
  }

  void refresh(Instant newExpiry) {
    this.expiry = newExpiry;
  }

  /** A copy of the attached keys. */
  public synchronized Set<Bytes> keys() {
    return new TreeSet<>(keys);
  }

  synchronized void attach(Bytes key) {
    keys.add(key);
  }

  synchronized void detach(Bytes key) {
    keys.remove(key);
  }
}
