package io.keel.store.raft;

/**
 * When a member snapshots: every {@code every} applied requests, as etcd's {@code
 * --snapshot-count}, with the first one brought forward by the member's share of the interval.
 * Members see the same requests, so without the shift they would all write a snapshot of the
 * same size at the same moment; with it, the members of an N-member cluster take turns, N apart
 * across the interval, and a follower's snapshot never slows a quorum of the others.
 *
 * <p>A snapshot holds the whole state, so its cost grows with the state while etcd's (its
 * state is already on disk in bbolt) does not. Once the last snapshot is at least {@link
 * #LARGE_SNAPSHOT_BYTES}, the next one also waits until as many bytes of requests have been
 * applied since the last one started as that snapshot holds: snapshots then cost at most one
 * byte written per byte logged, and a restart still replays no more log than one snapshot's
 * worth (as Redis rewrites its append-only file once it has grown by 100%, from 64 MB).
 */
public final class SnapshotSchedule {
  /** The size from which a snapshot also waits for as many bytes of applied requests. */
  public static final long LARGE_SNAPSHOT_BYTES = 64L << 20;

  private final long every;
  private long requestsAtLastStart;
  private long bytesAtLastStart;
  private volatile long lastSnapshotBytes;

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

  /**
   * Whether a snapshot is due once {@code appliedRequests} requests of {@code appliedBytes} bytes
   * in all have been applied.
   */
  public boolean due(long appliedRequests, long appliedBytes) {
    long last = lastSnapshotBytes;
    return appliedRequests - requestsAtLastStart >= every
        && (last < LARGE_SNAPSHOT_BYTES || appliedBytes - bytesAtLastStart >= last);
  }

  /** Records that a snapshot started once {@code appliedRequests} requests were applied. */
  public void started(long appliedRequests, long appliedBytes) {
    requestsAtLastStart = appliedRequests;
    bytesAtLastStart = appliedBytes;
  }

  /** Records the size of the newest snapshot on disk, written or loaded; any thread. */
  public void snapshotIs(long bytes) {
    lastSnapshotBytes = bytes;
  }
}
