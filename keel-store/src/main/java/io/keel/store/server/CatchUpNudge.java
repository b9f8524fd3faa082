package io.keel.store.server;

import com.google.protobuf.Empty;
import io.keel.store.raft.CatchUpWatch;
import io.keel.store.raft.Command;
import io.keel.store.raft.RaftNode;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * On the leader, appends a no-op entry when a follower that answers heartbeats has stopped short
 * of the leader's commit index, as far as the leader knows what it holds (its match index;
 * {@link CatchUpWatch} says why that can happen).
 */
final class CatchUpNudge implements Runnable {
  private static final Logger LOG = LoggerFactory.getLogger(CatchUpNudge.class);
  /** Periods (of the timer that runs this) a stalled follower is given before the no-op. */
  static final int STALLED_PERIODS = 3;
  /** A follower that answered within this long counts as up. */
  static final long ANSWERED_WITHIN_MILLIS = 1000;

  private final LocalMember member;
  private final CatchUpWatch watch = new CatchUpWatch(STALLED_PERIODS);

  CatchUpNudge(LocalMember member) {
    this.member = member;
  }

  @Override
  public void run() {
    try {
      RaftNode raft = member.raft();
      long follower = raft.lowestAnsweringFollowerMatch(ANSWERED_WITHIN_MILLIS);
      long commit = raft.commitIndex();
      if (watch.observe(follower, commit)) {
        LOG.warn("a follower answers but the leader knows it holds only up to index {}, below the "
            + "commit index {}; appending a no-op entry", follower, commit);
        member.write(Command.NOOP, Empty.getDefaultInstance(), Empty.parser())
            .whenComplete((r, e) -> {
              if (e != null) {
                LOG.warn("no-op entry failed: {}", e.toString());
              }
            });
      }
    } catch (RuntimeException e) {
      LOG.warn("catch-up check failed", e);
    }
  }
}
