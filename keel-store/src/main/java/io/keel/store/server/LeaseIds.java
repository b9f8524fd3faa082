package io.keel.store.server;

import io.keel.store.lease.Lessor;
import java.time.Clock;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Chooses ids for leases granted without one, as etcd's id generator does: the member's id in
 * the top bits, then time, then a counter, so members never collide. Positive, never zero.
 */
public final class LeaseIds {
  private final AtomicLong next;

  public LeaseIds(long memberId, Clock clock) {
    long prefix = (memberId & 0xffffL) << 47;
    long suffix = (clock.millis() & 0xffffffffffL) << 7;
    this.next = new AtomicLong((prefix | suffix) & Long.MAX_VALUE);
  }

  public long next(Lessor lessor) {
    long id;
    do {
      id = next.incrementAndGet() & Long.MAX_VALUE;
    } while (id == 0 || lessor.exists(id));
    return id;
  }
}
