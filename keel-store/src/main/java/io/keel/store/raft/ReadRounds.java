package io.keel.store.raft;

import io.keel.store.mvcc.StoreError;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Linearizable read rounds (etcd's ReadIndex), shared by concurrent reads ({@link ReadBarriers}).
 * A round ends once this member has applied every write acknowledged before it began, and yields
 * the read index it confirmed.
 *
 * <ul>
 *   <li>A lone voter asks Ratis, which answers at once: no other member can have become leader.
 *   <li>The ready leader of a stable configuration takes its commit index, then asks the other
 *       voters for their current term ({@link LeadershipCheck}); once a majority is still in its
 *       term, it waits to have applied that index. No log entry, no fsync.
 *   <li>A leader that is not ready yet, or whose configuration is changing, appends a marked
 *       {@code NOOP} entry instead ({@link ReadMarks}) and waits to apply it.
 *   <li>A follower asks the leader for a read index (over Keel's forwarding) and waits until it
 *       has applied that index. In a cluster where the leader and one other voter make a majority
 *       (three members), the leader answers at once with its term and commit index, and the
 *       follower checks that its own term is still that term when the answer arrives: the two of
 *       them, both in that term after the read began, are the majority {@link LeadershipCheck}
 *       asks for. Otherwise the leader runs one of its own rounds for it.
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

    /**
     * The highest log index at or below {@code index} whose entry can change what a read sees:
     * above it there are only Ratis's metadata entries (a leader appends one after each commit),
     * or {@code index} itself when that cannot be told.
     */
    long lastStateChange(long index);

    /** This member's Raft id. */
    String selfId();

    /** This member as the ready leader of a stable configuration, if it is one. */
    Optional<Leadership> leadership();

    /** Asks another voter for its current term. */
    CompletableFuture<Long> termOf(String voter);

    /** A Ratis ReadIndex round; completes once this member applied up to the read index. */
    CompletableFuture<Void> ratisReadIndex();

    /** Appends a log entry as leader; completes after it has been applied here. */
    CompletableFuture<Void> appendLocal(byte[] entry);

    /** Asks the leader for a confirmed read index ({@link #serveFollower}'s answer). */
    CompletableFuture<byte[]> askLeader(byte[] request);
  }

  /**
   * A leader's state at one moment.
   *
   * @param configurationIndex the log index of the configuration in force
   * @param otherVoters Raft ids of the voters other than this member
   */
  record Leadership(long term, long commitIndex, long configurationIndex,
      List<String> otherVoters) {
    /** How many other voters make a majority with this member. */
    int othersNeeded() {
      return (otherVoters.size() + 1) / 2;
    }
  }

  /** The index a round confirmed, and the term a follower must still be in to use it. */
  private record ReadIndex(long followerTerm, long index) {
    /** A read index confirmed without the follower: any term will do. */
    static final long ANY_TERM = 0;
  }

  private final Member member;
  private final ReadMarks marks;
  private final AppliedWaiters applied;
  private final Duration timeout;
  private final ReadBarriers<ReadIndex> barriers = new ReadBarriers<>(() -> bounded(round()));
  /**
   * The leader's rounds for followers, apart from {@link #barriers}: a round of this member's own
   * that is asking the leader when this member becomes the leader is answered here, and must not
   * wait behind itself.
   */
  private final ReadBarriers<ReadIndex> forFollowers =
      new ReadBarriers<>(() -> bounded(leaderRound()));
  /**
   * One question in flight per voter: rounds that need a voter while it has not answered the last
   * question share the next one, so a paused voter costs one pending call, not one per round.
   */
  private final Map<String, ReadBarriers<Long>> questions = new ConcurrentHashMap<>();

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

  /**
   * The leader's answer to a follower's read-index request ({@link #isReadIndexRequest}): a read
   * index, at once when the asking voter completes the majority, else after a round of its own.
   *
   * <p>The index answered is the last entry at or below the confirmed one that changes state
   * ({@link Member#lastStateChange}). Right after a write commits, the leader's commit index is
   * usually the metadata entry it appended for that commit; a follower learns that entry's own
   * commit only at the next heartbeat (0.35 x the election timeout later), and would wait that
   * long to apply it, for nothing a read can see.
   */
  CompletableFuture<byte[]> serveFollower(byte[] request) {
    String follower = new String(request, 1, request.length - 1, StandardCharsets.UTF_8);
    Optional<Leadership> now = member.leadership();
    if (now.isPresent() && now.get().othersNeeded() == 1
        && now.get().otherVoters().contains(follower)) {
      return CompletableFuture.completedFuture(encode(new ReadIndex(now.get().term(),
          member.lastStateChange(now.get().commitIndex()))));
    }
    return forFollowers.await().thenApply(confirmed ->
        encode(new ReadIndex(ReadIndex.ANY_TERM, member.lastStateChange(confirmed.index()))));
  }

  static boolean isReadIndexRequest(byte[] entry) {
    return entry.length > 0 && entry[0] == Command.READ_INDEX.tag();
  }

  private byte[] readIndexRequest() {
    byte[] id = member.selfId().getBytes(StandardCharsets.UTF_8);
    byte[] request = new byte[1 + id.length];
    request[0] = Command.READ_INDEX.tag();
    System.arraycopy(id, 0, request, 1, id.length);
    return request;
  }

  /** A shared round, bounded so that no round can hold up reads for good. */
  private CompletableFuture<ReadIndex> bounded(CompletableFuture<ReadIndex> round) {
    return RequestTimeouts.within(round, timeout);
  }

  private CompletableFuture<ReadIndex> round() {
    if (member.alone()) {
      long commit = member.commitIndex();
      return member.ratisReadIndex().thenApply(done -> new ReadIndex(ReadIndex.ANY_TERM, commit));
    }
    return member.isLeader() ? leaderRound() : followerRound();
  }

  private CompletableFuture<ReadIndex> leaderRound() {
    Optional<Leadership> ready = member.leadership();
    if (ready.isEmpty()) {
      return markRound();
    }
    Leadership start = ready.get();
    List<CompletableFuture<Long>> answers = start.otherVoters().stream()
        .map(voter -> questions.computeIfAbsent(voter,
            v -> new ReadBarriers<>(() -> member.termOf(v))).await())
        .toList();
    return LeadershipCheck.confirm(start.term(), answers, start.othersNeeded())
        .thenCompose(confirmed -> {
          if (!member.isLeader() || member.term() != start.term()) {
            throw StoreError.LEADER_CHANGED.exception();
          }
          Optional<Leadership> now = member.leadership();
          if (now.isEmpty() || now.get().configurationIndex() != start.configurationIndex()) {
            return markRound();
          }
          return applied.await(start.commitIndex(), timeout)
              .thenApply(done -> new ReadIndex(ReadIndex.ANY_TERM, start.commitIndex()));
        });
  }

  private CompletableFuture<ReadIndex> markRound() {
    ReadMarks.Mark mark = marks.next(timeout);
    member.appendLocal(mark.entry()).whenComplete((done, error) -> {
      if (error != null) {
        marks.abandon(mark, error);
      }
    });
    return mark.applied().thenApply(done -> new ReadIndex(ReadIndex.ANY_TERM, member.commitIndex()));
  }

  private CompletableFuture<ReadIndex> followerRound() {
    return member.askLeader(readIndexRequest())
        .thenCompose(answer -> {
          ReadIndex confirmed = decode(answer);
          if (confirmed.followerTerm() != ReadIndex.ANY_TERM
              && confirmed.followerTerm() != member.term()) {
            throw StoreError.LEADER_CHANGED.exception();
          }
          return applied.await(confirmed.index(), timeout).thenApply(done -> confirmed);
        });
  }

  private static byte[] encode(ReadIndex confirmed) {
    return ByteBuffer.allocate(2 * Long.BYTES).putLong(confirmed.followerTerm())
        .putLong(confirmed.index()).array();
  }

  private static ReadIndex decode(byte[] answer) {
    if (answer.length != 2 * Long.BYTES) {
      throw StoreError.CORRUPT.exception();
    }
    ByteBuffer buffer = ByteBuffer.wrap(answer);
    return new ReadIndex(buffer.getLong(), buffer.getLong());
  }
}
