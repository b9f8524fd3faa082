package io.keel.store.grpc;

import io.etcd.jetcd.api.LeaseKeepAliveRequest;
import io.etcd.jetcd.api.LeaseKeepAliveResponse;
import io.etcd.jetcd.api.LeaseTimeToLiveRequest;
import io.etcd.jetcd.api.LeaseTimeToLiveResponse;
import io.keel.store.apply.Protos;
import io.keel.store.lease.Lease;
import io.keel.store.raft.PeerPortService;
import io.keel.store.server.LocalMember;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

/**
 * Keep-alives and TTL queries, which only the leader can answer: it alone knows when a lease
 * expires. A follower passes them to the leader's peer port, as etcd followers pass them to
 * theirs. Answers carry the answering member's header.
 */
final class LeaderLeases {
  private static final long TIMEOUT_SECONDS = 5;

  private final LocalMember member;
  private final PeerCalls peers;

  LeaderLeases(LocalMember member, PeerCalls peers) {
    this.member = member;
    this.peers = peers;
    peers.answerAsLeader(PeerPortService.Call.LEASE_KEEP_ALIVE, request ->
        CompletableFuture.completedFuture(keepAliveHere(
            PeerCalls.parse(LeaseKeepAliveRequest.parser(), request)).toByteArray()));
    peers.answerAsLeader(PeerPortService.Call.LEASE_TIME_TO_LIVE, request ->
        CompletableFuture.completedFuture(timeToLiveHere(
            PeerCalls.parse(LeaseTimeToLiveRequest.parser(), request)).toByteArray()));
  }

  CompletableFuture<LeaseKeepAliveResponse> keepAlive(LeaseKeepAliveRequest request) {
    if (member.raft().isLeader()) {
      return CompletableFuture.completedFuture(keepAliveHere(request));
    }
    return peers.leader(PeerPortService.Call.LEASE_KEEP_ALIVE, request.toByteArray(),
            TIMEOUT_SECONDS)
        .thenApply(answer -> PeerCalls.parse(LeaseKeepAliveResponse.parser(), answer).toBuilder()
            .setHeader(member.header()).build());
  }

  CompletableFuture<LeaseTimeToLiveResponse> timeToLive(LeaseTimeToLiveRequest request) {
    if (member.raft().isLeader()) {
      try {
        return CompletableFuture.completedFuture(timeToLiveHere(request));
      } catch (RuntimeException e) {
        return CompletableFuture.failedFuture(e);
      }
    }
    return peers.leader(PeerPortService.Call.LEASE_TIME_TO_LIVE, request.toByteArray(),
            TIMEOUT_SECONDS)
        .thenApply(answer -> PeerCalls.parse(LeaseTimeToLiveResponse.parser(), answer)
            .toBuilder().setHeader(member.header()).build());
  }

  private LeaseKeepAliveResponse keepAliveHere(LeaseKeepAliveRequest request) {
    Optional<Long> ttl = member.lessor().renew(request.getID());
    return LeaseKeepAliveResponse.newBuilder()
        .setHeader(member.header())
        .setID(request.getID())
        .setTTL(ttl.orElse(0L))
        .build();
  }

  private LeaseTimeToLiveResponse timeToLiveHere(LeaseTimeToLiveRequest request) {
    var response = LeaseTimeToLiveResponse.newBuilder().setHeader(member.header())
        .setID(request.getID());
    Optional<Lease> lease = member.lessor().lookup(request.getID());
    if (lease.isEmpty()) {
      return response.setTTL(-1).build();
    }
    response.setTTL(member.lessor().remainingSeconds(lease.get()))
        .setGrantedTTL(lease.get().ttlSeconds());
    if (request.getKeys()) {
      lease.get().keys().forEach(k -> response.addKeys(Protos.byteString(k)));
    }
    return response.build();
  }
}
