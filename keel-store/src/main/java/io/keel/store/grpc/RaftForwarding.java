package io.keel.store.grpc;

import io.keel.store.raft.PeerPortService;
import io.keel.store.raft.RaftNode;
import io.keel.store.server.LocalMember;
import java.util.concurrent.CompletableFuture;

/**
 * How a follower's writes reach the leader: the tagged log entry is sent to the leader's peer
 * port ({@link PeerPortService.Call#PROPOSE}), the leader appends it to its log and answers with
 * the encoded result. A refusal before the entry was appended is tried again (see
 * {@link PeerCalls#leader}).
 */
final class RaftForwarding implements RaftNode.Forwarder {
  private static final long TIMEOUT_SECONDS = 5;

  private final PeerCalls peers;

  RaftForwarding(LocalMember member, PeerCalls peers) {
    this.peers = peers;
    peers.answerAsLeader(PeerPortService.Call.PROPOSE, member.raft()::serveForwarded);
  }

  @Override
  public CompletableFuture<byte[]> forward(byte[] entry) {
    return peers.leader(PeerPortService.Call.PROPOSE, entry, TIMEOUT_SECONDS);
  }
}
