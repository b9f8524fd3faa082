package io.keel.store.raft;

/**
 * Tells the leader when to append a no-op entry because a follower that answers its heartbeats
 * has stopped short of the leader's commit index.
 *
 * <p>Ratis 3.3.0 can leave a restarted member one entry short for as long as no new entry is
 * written: after a former leader restarts with an uncommitted tail, the new leader may record an
 * entry as matched that the member no longer holds, and then answers every "that entry is
 * missing" reply to its heartbeats by sending the same heartbeat again. Any new entry breaks the
 * loop (Ratis backs off from a refused entry, unlike from a refused heartbeat). While the loop
 * lasts, linearizable reads on the member wait for an entry that never comes. The follower
 * cannot see it (Ratis drops what a refused heartbeat says about the leader's commit index);
 * the leader can, as a follower commit index that stays below its own.
 *
 * <p>Fed one observation per period; answers true after {@code periods} observations in a row
 * in which the follower's index stayed below the leader's commit index and did not grow.
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
   * @param followerIndex the lowest commit index of the followers that answer
   *     ({@link Long#MAX_VALUE} when none do)
   * @param leaderCommitIndex the leader's commit index
   * @return true when a no-op entry should be appended now
   */
  public boolean observe(long followerIndex, long leaderCommitIndex) {
    boolean behind = leaderCommitIndex > followerIndex;
    stalled = behind && followerIndex == lastIndexSeen ? stalled + 1 : 0;
    lastIndexSeen = followerIndex;
    if (stalled >= periods) {
      stalled = 0;
      return true;
    }
    return false;
  }
}
