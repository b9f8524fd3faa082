package io.keel.store.raft;

/**
 * When a member snapshots: every {@code every} applied requests, as etcd's {@code
 * --snapshot-count}, with the first one brought forward by the member's share of the interval.
 * Members see the same requests, so without the shift they would all write a snapshot of the
 * same size at the same moment; with it, the members of an N-member cluster take turns, N apart
 * across the interval, and a follower's snapshot never slows a quorum of the others.
 */
public final class SnapshotSchedule {
  private final long every;
  private long requestsAtLastStart;

  private SnapshotSchedule(long every, long firstAfter) {
    if (every < 1) {
      throw new IllegalArgumentException("a snapshot interval must be at least 1 request");
    }
    this.every = every;
    this.requestsAtLastStart = firstAfter - every;
  }

  /** Every {@code every} requests, the first after {@code every}. */
  public static SnapshotSchedule every(long every) {
    return new SnapshotSchedule(every, every);
  }

  /**
   * Every {@code every} requests for the member at {@code position} (0-based, in an order all
   * members agree on) of {@code members}: the first after {@code every * (members - position) /
   * members} requests.
   */
  public static SnapshotSchedule forMember(long every, int position, int members) {
    if (members < 1 || position < 0 || position >= members) {
      throw new IllegalArgumentException(
          "member position " + position + " is not within " + members + " members");
    }
    return new SnapshotSchedule(every, Math.max(1, every * (members - position) / members));
  }

  /** Whether a snapshot is due once {@code appliedRequests} requests have been applied. */
  public boolean due(long appliedRequests) {
    return appliedRequests - requestsAtLastStart >= every;
  }

  /** Records that a snapshot started after {@code appliedRequests} requests. */
  public void started(long appliedRequests) {
    requestsAtLastStart = appliedRequests;
  }
}
