package io.keel.store.raft;

/**
 * Tells a follower when to ask the leader for a no-op entry because its log has stopped short
 * of what the leader has committed.
 *
 * <p>Ratis 3.3.0 can leave a restarted member one entry short for as long as no new entry is
 * written: after a former leader restarts with an uncommitted tail, the new leader may record an
 * entry as matched that the member no longer holds, and then answers every "that entry is
 * missing" reply to its heartbeats by sending the same heartbeat again. Any new entry breaks the
 * loop (Ratis backs off from a refused entry, unlike from a refused heartbeat). While the loop
 * lasts, linearizable reads on the member wait for an entry that never comes.
 *
 * <p>Fed one observation per period; answers true after {@code periods} observations in a row
 * in which the log ended below the leader's commit index and did not grow.
 */
public final class CatchUpWatch {
  private final int periods;
  private long lastIndexSeen = Long.MIN_VALUE;
  private int stalled;

  public CatchUpWatch(int periods) {
    if (periods < 1) {
      throw new IllegalArgumentException("periods must be at least 1");
    }
    this.periods = periods;
  }

  /**
   * @param lastLogIndex the last index in this member's log
   * @param leaderCommitIndex the leader's commit index as this member last heard it, or -1
   * @return true when a no-op entry should be asked for now
   */
  public boolean observe(long lastLogIndex, long leaderCommitIndex) {
    boolean behind = leaderCommitIndex > lastLogIndex;
    stalled = behind && lastLogIndex == lastIndexSeen ? stalled + 1 : 0;
    lastIndexSeen = lastLogIndex;
    if (stalled >= periods) {
      stalled = 0;
      return true;
    }
    return false;
  }
}
