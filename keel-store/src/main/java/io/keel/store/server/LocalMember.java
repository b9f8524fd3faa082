package io.keel.store.server;

import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.MessageLite;
import com.google.protobuf.Parser;
import io.etcd.jetcd.api.ResponseHeader;
import io.keel.store.apply.Applier;
import io.keel.store.apply.Members;
import io.keel.store.auth.AuthStore;
import io.keel.store.auth.Caller;
import io.keel.store.lease.Lessor;
import io.keel.store.mvcc.MvccStore;
import io.keel.store.mvcc.StoreError;
import io.keel.store.raft.Command;
import io.keel.store.raft.RaftNode;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.function.Supplier;

/**
 * This store member as the etcd API adapters see it: writes go through Raft, linearizable reads
 * through ReadIndex, serializable reads straight to local state.
 */
public final class LocalMember {
  private final RaftNode raft;
  private final Applier applier;
  private final MemberIdentity identity;
  private final StoreLimits limits;
  private final Executor readExecutor;

  public LocalMember(RaftNode raft, Applier applier, MemberIdentity identity, StoreLimits limits,
      Executor readExecutor) {
    this.raft = raft;
    this.readExecutor = readExecutor;
    this.applier = applier;
    this.identity = identity;
    this.limits = limits;
  }

  public <T extends MessageLite> CompletableFuture<T> write(Command command, MessageLite request,
      Parser<T> responseParser) {
    return write(Caller.ANONYMOUS, command, request, responseParser);
  }

  /** A client's write, checked against the caller's permissions when it is applied. */
  public <T extends MessageLite> CompletableFuture<T> write(Caller caller, Command command,
      MessageLite request, Parser<T> responseParser) {
    if (request.getSerializedSize() > limits.maxRequestBytes()) {
      return CompletableFuture.failedFuture(StoreError.REQUEST_TOO_LARGE.exception());
    }
    return raft.propose(caller, command, request)
        .thenApply(bytes -> parse(responseParser, bytes));
  }

  public AuthStore auth() {
    return applier.auth();
  }

  /**
   * Answers a read from local state once ReadIndex shows this member has applied every write
   * acknowledged before the call. The answer is computed on the caller's thread when the round
   * ended at once (a single member), otherwise on {@code readExecutor}, never on a Raft thread.
   */
  public <T> CompletableFuture<T> linearizableRead(Supplier<T> localAnswer) {
    CompletableFuture<Void> barrier = raft.readBarrier();
    Executor answerOn = barrier.isDone() ? Runnable::run : readExecutor;
    return barrier.thenApplyAsync(ignored -> localAnswer.get(), answerOn);
  }

  private static <T> T parse(Parser<T> parser, byte[] bytes) {
    try {
      return parser.parseFrom(bytes);
    } catch (InvalidProtocolBufferException e) {
      throw StoreError.CORRUPT.exception();
    }
  }

  /** Local state, for serializable reads. */
  public Applier applier() {
    return applier;
  }

  public MvccStore store() {
    return applier.store();
  }

  public Lessor lessor() {
    return applier.lessor();
  }

  public RaftNode raft() {
    return raft;
  }

  public MemberIdentity identity() {
    return identity;
  }

  public StoreLimits limits() {
    return limits;
  }

  public List<Members.Member> members() {
    return applier.members().all();
  }

  /** The leader's member id, or 0 while there is none. */
  public long leaderMemberId() {
    String leader = raft.leaderId();
    return leader == null ? 0 : MemberIdentity.fromRaftId(leader);
  }

  /** The first advertised peer URL of a member, given its Raft id. */
  public Optional<String> peerUrlOf(String raftId) {
    return peerUrlOf(MemberIdentity.fromRaftId(raftId));
  }

  /** The first advertised peer URL of the leader, if there is one. */
  public Optional<String> leaderPeerUrl() {
    return peerUrlOf(leaderMemberId());
  }

  private Optional<String> peerUrlOf(long memberId) {
    return applier.members().get(memberId).flatMap(m -> m.peerUrls().stream().findFirst());
  }

  /** etcd's response header, completed with this member's ids and the current term. */
  public ResponseHeader header(long revision) {
    return ResponseHeader.newBuilder()
        .setClusterId(identity.clusterId())
        .setMemberId(identity.memberId())
        .setRevision(revision)
        .setRaftTerm(raft.term())
        .build();
  }

  public ResponseHeader header() {
    return header(applier.store().currentRevision());
  }

  /** The header of etcd's Cluster API answers: ids and term, no revision. */
  public ResponseHeader clusterHeader() {
    return header(0);
  }

  /** Fills in the ids and term of a header the applier set the revision of. */
  public ResponseHeader complete(ResponseHeader partial) {
    return header(partial.getRevision());
  }
}
