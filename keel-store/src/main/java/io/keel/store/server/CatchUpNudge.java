package io.keel.store.server;

import com.google.protobuf.Empty;
import io.keel.store.raft.CatchUpWatch;
import io.keel.store.raft.Command;
import io.keel.store.raft.RaftNode;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * On a follower, asks the leader for a no-op entry when this member's log has stopped short of
 * the leader's commit index ({@link CatchUpWatch} says why that can happen).
 */
final class CatchUpNudge implements Runnable {
  private static final Logger LOG = LoggerFactory.getLogger(CatchUpNudge.class);
  /** Periods (of the timer that runs this) a stalled log is given before asking. */
  static final int STALLED_PERIODS = 3;

  private final LocalMember member;
  private final CatchUpWatch watch = new CatchUpWatch(STALLED_PERIODS);

  CatchUpNudge(LocalMember member) {
    this.member = member;
  }

  @Override
  public void run() {
    try {
      RaftNode raft = member.raft();
      if (raft.isLeader() || raft.leaderId() == null) {
        return;
      }
      long last = raft.lastLogIndex();
      long leaderCommit = raft.leaderCommitIndex();
      if (watch.observe(last, leaderCommit)) {
        LOG.warn("log stalled at index {} below the leader's commit index {}; asking for a no-op "
            + "entry", last, leaderCommit);
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
