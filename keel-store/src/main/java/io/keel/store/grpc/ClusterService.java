package io.keel.store.grpc;

import com.google.protobuf.Message;
import com.google.protobuf.Parser;
import io.etcd.jetcd.api.ClusterGrpc;
import io.etcd.jetcd.api.Member;
import io.etcd.jetcd.api.MemberAddRequest;
import io.etcd.jetcd.api.MemberAddResponse;
import io.etcd.jetcd.api.MemberListRequest;
import io.etcd.jetcd.api.MemberListResponse;
import io.etcd.jetcd.api.MemberPromoteRequest;
import io.etcd.jetcd.api.MemberPromoteResponse;
import io.etcd.jetcd.api.MemberRemoveRequest;
import io.etcd.jetcd.api.MemberRemoveResponse;
import io.etcd.jetcd.api.MemberUpdateRequest;
import io.etcd.jetcd.api.MemberUpdateResponse;
import io.grpc.stub.StreamObserver;
import io.keel.store.apply.Members;
import io.keel.store.mvcc.StoreError;
import io.keel.store.raft.PeerPortService;
import io.keel.store.server.LocalMember;
import io.keel.store.server.Membership;
import java.util.List;
import java.util.OptionalLong;
import java.util.Set;
import java.util.concurrent.CompletableFuture;

/** etcd's Cluster service: the member list and membership changes. */
public final class ClusterService extends ClusterGrpc.ClusterImplBase {
  /** A forwarded membership change waits at most this long for the leader's answer. */
  private static final long FORWARD_DEADLINE_SECONDS = 30;

  private final LocalMember member;
  private final Membership membership;
  private final PeerCalls peers;

  ClusterService(LocalMember member, Membership membership, PeerCalls peers) {
    this.member = member;
    this.membership = membership;
    this.peers = peers;
    peers.answerAsLeader(PeerPortService.Call.MEMBER_ADD, request ->
        addHere(PeerCalls.parse(MemberAddRequest.parser(), request))
            .thenApply(MemberAddResponse::toByteArray));
    peers.answerAsLeader(PeerPortService.Call.MEMBER_REMOVE, request ->
        removeHere(PeerCalls.parse(MemberRemoveRequest.parser(), request))
            .thenApply(MemberRemoveResponse::toByteArray));
  }

  @Override
  public void memberList(MemberListRequest request, StreamObserver<MemberListResponse> observer) {
    GrpcErrors.answer(() -> MemberListResponse.newBuilder().setHeader(member.clusterHeader())
        .addAllMembers(wire(member.members())).build(), observer);
  }

  @Override
  public void memberAdd(MemberAddRequest request, StreamObserver<MemberAddResponse> observer) {
    GrpcErrors.reply(viaLeader(PeerPortService.Call.MEMBER_ADD, request.toByteArray(),
            MemberAddResponse.parser()),
        r -> r.toBuilder().setHeader(member.clusterHeader()).build(), observer);
  }

  @Override
  public void memberRemove(MemberRemoveRequest request,
      StreamObserver<MemberRemoveResponse> observer) {
    GrpcErrors.reply(viaLeader(PeerPortService.Call.MEMBER_REMOVE, request.toByteArray(),
            MemberRemoveResponse.parser()),
        r -> r.toBuilder().setHeader(member.clusterHeader()).build(), observer);
  }

  private CompletableFuture<MemberAddResponse> addHere(MemberAddRequest request) {
    List<String> urls = request.getPeerURLsList();
    return membership.checkReconfigurable(OptionalLong.empty())
        .thenCompose(x -> membership.add(urls, request.getIsLearner()))
        .thenApply(after -> MemberAddResponse.newBuilder()
            .setMember(after.getMembersList().stream()
                .filter(m -> Set.copyOf(m.getPeerURLsList()).equals(Set.copyOf(urls))).findFirst()
                .orElseThrow(StoreError.MEMBER_NOT_FOUND::exception))
            .addAllMembers(after.getMembersList()).build());
  }

  private CompletableFuture<MemberRemoveResponse> removeHere(MemberRemoveRequest request) {
    return known(request.getID())
        .thenCompose(x -> membership.checkReconfigurable(OptionalLong.of(request.getID())))
        .thenCompose(x -> membership.remove(request.getID()))
        .thenApply(x -> MemberRemoveResponse.newBuilder()
            .addAllMembers(wire(without(request.getID()))).build());
  }

  @Override
  public void memberUpdate(MemberUpdateRequest request,
      StreamObserver<MemberUpdateResponse> observer) {
    GrpcErrors.reply(known(request.getID())
            .thenCompose(x -> membership.update(request.getID(), request.getPeerURLsList())),
        x -> MemberUpdateResponse.newBuilder().setHeader(member.clusterHeader())
            .addAllMembers(wire(member.members())).build(),
        observer);
  }

  @Override
  public void memberPromote(MemberPromoteRequest request,
      StreamObserver<MemberPromoteResponse> observer) {
    GrpcErrors.reply(known(request.getID()).thenCompose(x -> membership.promote(request.getID())),
        x -> MemberPromoteResponse.newBuilder().setHeader(member.clusterHeader())
            .addAllMembers(wire(member.members())).build(),
        observer);
  }

  /**
   * Has the leader make a voting-membership change, as it alone knows which voters it hears from
   * (etcd's members each know their own peers' connections). Its error goes back as it is, its
   * answer with this member's header.
   */
  private <R extends Message> CompletableFuture<R> viaLeader(PeerPortService.Call call,
      byte[] request, Parser<R> parser) {
    return peers.leader(call, request, FORWARD_DEADLINE_SECONDS)
        .thenApply(answer -> PeerCalls.parse(parser, answer));
  }

  private CompletableFuture<Void> known(long id) {
    return member.applier().members().get(id).isPresent()
        ? CompletableFuture.completedFuture(null)
        : CompletableFuture.failedFuture(StoreError.MEMBER_NOT_FOUND.exception());
  }

  private List<Members.Member> without(long id) {
    return member.members().stream().filter(m -> m.id() != id).toList();
  }

  static List<Member> wire(List<Members.Member> members) {
    return members.stream().map(Members.Member::toWire).toList();
  }
}
