package io.keel.store.raft;

import io.keel.store.mvcc.StoreError;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Linearizable read rounds (etcd's ReadIndex), shared by concurrent reads ({@link ReadBarriers}).
 * A round ends once this member has applied every write acknowledged before it began; it
 * completes with the read index it confirmed.
 *
 * <ul>
 *   <li>A lone voter asks Ratis, which answers at once: no other member can have become leader.
 *   <li>The leader confirms with a Ratis ReadIndex (heartbeats to a majority), but only when its
 *       commit index has moved past every index such a round may already have confirmed. Ratis
 *       3.3 answers a ReadIndex at once, without heartbeats, when an earlier round confirmed the
 *       same commit index, so a leader cut off from its followers would keep answering from
 *       stale state. Otherwise the round goes through the log ({@link ReadMarks}): a marked
 *       {@code NOOP} entry committed after the round began proves the leadership and moves the
 *       commit index, so the next round can use heartbeats again. Ratis's ReadIndex is only
 *       used for the leader's own rounds, so every round that can raise Ratis's confirmed index
 *       is one of these, one at a time.
 *   <li>A follower asks the leader for a confirmed read index (over Keel's forwarding, where the
 *       leader runs one of its own rounds) and waits until it has applied that index.
 * </ul>
 */
final class ReadRounds {
  /** What a round needs of the Raft member. */
  interface Member {
    /** True when this member is the only voter. */
    boolean alone();

    boolean isLeader();

    long term();

    long commitIndex();

    /** A Ratis ReadIndex round; completes once this member applied up to the read index. */
    CompletableFuture<Void> ratisReadIndex();

    /** Appends a log entry as leader; completes after it has been applied here. */
    CompletableFuture<Void> appendLocal(byte[] entry);

    /** Asks the leader for a confirmed read index ({@link #serveFollower}'s answer). */
    CompletableFuture<byte[]> askLeader(byte[] request);
  }

  /** A follower's request for a read index, as forwarded to the leader. */
  static final byte[] READ_INDEX_REQUEST = {Command.READ_INDEX.tag()};

  private final Member member;
  private final ReadMarks marks;
  private final AppliedWaiters applied;
  private final Duration timeout;
  private final ReadBarriers<Long> barriers = new ReadBarriers<>(this::round);
  /** At least every commit index a Ratis ReadIndex round of this member may have confirmed. */
  private final AtomicLong ratisConfirmedAtMost = new AtomicLong(-1);

  ReadRounds(Member member, ReadMarks marks, AppliedWaiters applied, Duration timeout) {
    this.member = member;
    this.marks = marks;
    this.applied = applied;
    this.timeout = timeout;
  }

  /** Completes once this member has applied every write acknowledged before the call. */
  CompletableFuture<Void> barrier() {
    return barriers.await().thenApply(index -> null);
  }

  /** The leader's answer to a follower's {@link #READ_INDEX_REQUEST}: a confirmed read index. */
  CompletableFuture<byte[]> serveFollower() {
    return barriers.await().thenApply(ReadRounds::encode);
  }

  static boolean isReadIndexRequest(byte[] entry) {
    return entry.length == 1 && entry[0] == Command.READ_INDEX.tag();
  }

  private CompletableFuture<Long> round() {
    if (member.alone()) {
      long commit = member.commitIndex();
      return member.ratisReadIndex().thenApply(done -> commit);
    }
    return member.isLeader() ? leaderRound() : followerRound();
  }

  private CompletableFuture<Long> leaderRound() {
    long term = member.term();
    long commit = member.commitIndex();
    if (commit > ratisConfirmedAtMost.get()) {
      return member.ratisReadIndex().handle((done, error) -> {
        ratisConfirmedAtMost.accumulateAndGet(member.commitIndex(), Math::max);
        if (error != null) {
          throw error instanceof CompletionException c ? c : new CompletionException(error);
        }
        if (!member.isLeader() || member.term() != term) {
          // Ratis may have served it as a follower, through another leader's ReadIndex
          throw StoreError.LEADER_CHANGED.exception();
        }
        return commit;
      });
    }
    ReadMarks.Mark mark = marks.next(timeout);
    member.appendLocal(mark.entry()).whenComplete((done, error) -> {
      if (error != null) {
        marks.abandon(mark, error instanceof CompletionException c && c.getCause() != null
            ? c.getCause() : error);
      }
    });
    return mark.applied().thenApply(done -> member.commitIndex());
  }

  private CompletableFuture<Long> followerRound() {
    return member.askLeader(READ_INDEX_REQUEST)
        .thenCompose(answer -> {
          long index = decode(answer);
          return applied.await(index, timeout).thenApply(done -> index);
        });
  }

  private static byte[] encode(long index) {
    return ByteBuffer.allocate(Long.BYTES).putLong(index).array();
  }

  private static long decode(byte[] answer) {
    if (answer.length != Long.BYTES) {
      throw StoreError.CORRUPT.exception();
    }
    return ByteBuffer.wrap(answer).getLong();
  }
}
