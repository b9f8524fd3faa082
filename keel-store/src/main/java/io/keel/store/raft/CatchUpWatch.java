package io.keel.store.raft;

/**
 * Tells the leader when to append a no-op entry because a follower that answers its heartbeats
 * has stopped short of the leader's commit index.
 *
 * <p>Ratis 3.3.0 can leave a restarted member one entry short for as long as no new entry is
 * written (seen after kill -9 of a leader and its restart): the leader's heartbeats name its last
 * entry as the one before them, the member answers that it lacks it, and the leader sends the
 * same heartbeat again. Any new entry ends the loop (Ratis backs off from a refused entry, not
 * from a refused heartbeat). Until then, linearizable reads on that member wait. The member
 * cannot see the loop (Ratis drops what a refused heartbeat says about the leader's commit
 * index); the leader can, as a follower match index (the last entry the leader knows it holds)
 * that stays below the leader's commit index. Until 2026-11-27 this was fed the commit index
 * the follower reports, and in the one stall seen since it never fired.
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
   * @param followerIndex the lowest match index of the followers that answer
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
