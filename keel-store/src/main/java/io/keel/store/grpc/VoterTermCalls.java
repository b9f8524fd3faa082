package io.keel.store.grpc;

import io.keel.store.mvcc.StoreError;
import io.keel.store.raft.PeerPortService;
import io.keel.store.raft.RaftNode;
import io.keel.store.server.LocalMember;
import java.nio.ByteBuffer;
import java.util.concurrent.CompletableFuture;

/**
 * How the leader confirms a linearizable read round: it asks each other voter for its current Raft
 * term on the voter's peer port ({@link PeerPortService.Call#RAFT_TERM}, an empty request
 * answered with 8 bytes). See {@code ReadRounds} and {@code LeadershipCheck}.
 */
final class VoterTermCalls implements RaftNode.VoterTerms {
  private static final long TIMEOUT_SECONDS = 5;

  private final LocalMember member;
  private final PeerCalls peers;

  /** Also answers the question on this member's peer port: its term when the question arrives. */
  VoterTermCalls(LocalMember member, PeerCalls peers) {
    this.member = member;
    this.peers = peers;
    peers.answer(PeerPortService.Call.RAFT_TERM, request -> CompletableFuture.completedFuture(
        ByteBuffer.allocate(Long.BYTES).putLong(member.raft().term()).array()));
  }

  @Override
  public CompletableFuture<Long> currentTerm(String voterId) {
    String url = member.peerUrlOf(voterId).orElse(null);
    if (url == null) {
      return CompletableFuture.failedFuture(StoreError.NO_LEADER.exception());
    }
    return peers.call(url, PeerPortService.Call.RAFT_TERM, new byte[0], TIMEOUT_SECONDS)
        .thenApply(answer -> {
          if (answer.length != Long.BYTES) {
            throw StoreError.CORRUPT.exception();
          }
          return ByteBuffer.wrap(answer).getLong();
        });
  }
}
