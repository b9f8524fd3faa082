package io.keel.store.lease;

import io.keel.store.mvcc.Bytes;
import io.keel.store.mvcc.StoreError;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * etcd's lessor. Which leases exist and which keys they hold is replicated state, changed only
 * by applied commands; when each lease expires is local to the member and measured on the
 * injected clock. After a restart or a leader change every lease's expiry is pushed out by its
 * full TTL, as etcd does.
 */
public final class Lessor {
  /** etcd's largest TTL. */
  public static final long MAX_TTL_SECONDS = 9_000_000_000L;

  private final Clock clock;
  private final long minTtlSeconds;
  private final Map<Long, Lease> leases = new ConcurrentHashMap<>();

  public Lessor(Clock clock, long minTtlSeconds) {
    this.clock = clock;
    this.minTtlSeconds = minTtlSeconds;
  }

  /** The TTL a grant of {@code requested} seconds gets: never below the minimum. */
  public long effectiveTtl(long requested) {
    return Math.max(requested, minTtlSeconds);
  }

  public Lease grant(long id, long requestedTtl) {
    if (id == 0) {
      throw StoreError.LEASE_NOT_FOUND.exception();
    }
    if (requestedTtl > MAX_TTL_SECONDS) {
      throw StoreError.LEASE_TTL_TOO_LARGE.exception();
    }
    if (leases.containsKey(id)) {
      throw StoreError.LEASE_EXISTS.exception();
    }
    long ttl = effectiveTtl(requestedTtl);
    Lease lease = new Lease(id, ttl, clock.instant().plusSeconds(ttl));
    leases.put(id, lease);
    return lease;
  }

  /** Removes the lease and returns it, so the caller can delete its keys. */
  public Lease revoke(long id) {
    Lease lease = leases.remove(id);
    if (lease == null) {
      throw StoreError.LEASE_NOT_FOUND.exception();
    }
    return lease;
  }

  /**
   * Pushes the expiry out by the full TTL; returns the TTL, or empty for an unknown lease. An
   * expired lease is never renewed: it is about to be revoked, and etcd then answers not found.
   */
  public Optional<Long> renew(long id) {
    Lease lease = leases.get(id);
    if (lease == null || !lease.expiry().isAfter(clock.instant())) {
      return Optional.empty();
    }
    lease.refresh(clock.instant().plusSeconds(lease.ttlSeconds()));
    return Optional.of(lease.ttlSeconds());
  }

  /** Gives every lease a fresh full TTL (on restart and on becoming leader). */
  public void refreshAll() {
    Instant now = clock.instant();
    leases.values().forEach(l -> l.refresh(now.plusSeconds(l.ttlSeconds())));
  }

  public Optional<Lease> lookup(long id) {
    return Optional.ofNullable(leases.get(id));
  }

  public boolean exists(long id) {
    return leases.containsKey(id);
  }

  /** Whole seconds left before expiry, truncated as etcd's TimeToLive reports; never below zero. */
  public long remainingSeconds(Lease lease) {
    Duration left = Duration.between(clock.instant(), lease.expiry());
    return left.isNegative() ? 0 : left.getSeconds();
  }

  public void attach(long id, Bytes key) {
    Lease lease = leases.get(id);
    if (lease != null) {
      lease.attach(key);
    }
  }

  public void detach(long id, Bytes key) {
    Lease lease = leases.get(id);
    if (lease != null) {
      lease.detach(key);
    }
  }

  /** Leases whose expiry has passed on this member's clock. */
  public List<Lease> expired() {
    Instant now = clock.instant();
    List<Lease> out = new ArrayList<>();
    for (Lease lease : leases.values()) {
      if (!lease.expiry().isAfter(now)) {
        out.add(lease);
      }
    }
    return out;
  }

  /** A lease as snapshots record it. */
  public record LeaseRecord(long id, long ttlSeconds, List<Bytes> keys) {}

  /** Every lease with its keys, copied. Exact when no write is being applied meanwhile. */
  public List<LeaseRecord> capture() {
    List<LeaseRecord> out = new ArrayList<>();
    for (Lease lease : leases.values()) {
      out.add(new LeaseRecord(lease.id(), lease.ttlSeconds(), List.copyOf(lease.keys())));
    }
    return out;
  }

  public Collection<Lease> all() {
    return List.copyOf(leases.values());
  }

  /** Restores a lease from a snapshot, with a fresh full TTL. */
  public void restore(long id, long ttl, Collection<Bytes> keys) {
    Lease lease = new Lease(id, ttl, clock.instant().plusSeconds(ttl));
    keys.forEach(lease::attach);
    leases.put(id, lease);
  }

  public void clear() {
    leases.clear();
  }
}
