package io.keel.store.server;

import java.util.Collection;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.LongFunction;
import java.util.function.LongSupplier;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Probes the other members' peer ports, as etcd's peer prober does: each round sends one small
 * call to every other member and tells how long its answer took, or that it failed. A member
 * whose probe is still out is not probed again until it answers or fails. A member is active from
 * its first answer until a probe fails or it leaves the member list; the listener hears of each
 * change. Thread-safe: probes complete on any thread.
 */
public final class PeerProber implements Runnable {
  private static final Logger LOG = LoggerFactory.getLogger(PeerProber.class);

  /** What the probes found, by member id. */
  public interface Listener {
    void answered(long memberId, long roundTripNanos);

    void failed(long memberId);

    /** The member became active (answered after not being so) or stopped being active. */
    void activeChanged(long memberId, boolean active);
  }

  private final long selfId;
  private final Supplier<? extends Collection<Long>> memberIds;
  private final LongFunction<CompletableFuture<?>> probe;
  private final LongSupplier nanoTime;
  private final Listener listener;
  private final Set<Long> active = ConcurrentHashMap.newKeySet();
  private final Set<Long> probing = ConcurrentHashMap.newKeySet();

  /**
   * @param memberIds the members now in the cluster, this one included
   * @param probe sends one probe to a member; completes when it answered, exceptionally when not
   */
  public PeerProber(long selfId, Supplier<? extends Collection<Long>> memberIds,
      LongFunction<CompletableFuture<?>> probe, LongSupplier nanoTime, Listener listener) {
    this.selfId = selfId;
    this.memberIds = memberIds;
    this.probe = probe;
    this.nanoTime = nanoTime;
    this.listener = listener;
  }

  /** One round: probes every other member not already being probed. Never throws. */
  @Override
  public void run() {
    try {
      Collection<Long> members = memberIds.get();
      for (Long gone : Set.copyOf(active)) {
        if (!members.contains(gone) && active.remove(gone)) {
          listener.activeChanged(gone, false);
        }
      }
      for (long member : members) {
        if (member != selfId && probing.add(member)) {
          send(member);
        }
      }
    } catch (RuntimeException e) { // a scheduled task that throws is never run again
      LOG.warn("peer probe round failed; the next one runs as planned", e);
    }
  }

  private void send(long member) {
    long start = nanoTime.getAsLong();
    CompletableFuture<?> answer;
    try {
      answer = probe.apply(member);
    } catch (RuntimeException e) {
      answer = CompletableFuture.failedFuture(e);
    }
    answer.whenComplete((ignored, error) -> {
      try {
        if (error == null) {
          listener.answered(member, nanoTime.getAsLong() - start);
          if (active.add(member)) {
            listener.activeChanged(member, true);
          }
        } else {
          listener.failed(member);
          if (active.remove(member)) {
            listener.activeChanged(member, false);
          }
        }
      } finally {
        probing.remove(member);
      }
    });
  }
}
