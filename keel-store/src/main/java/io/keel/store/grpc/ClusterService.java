package io.keel.store.grpc;

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
import io.keel.store.server.LocalMember;
import io.keel.store.server.Membership;
import java.util.List;
import java.util.OptionalLong;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/** etcd's Cluster service: the member list and membership changes. */
public final class ClusterService extends ClusterGrpc.ClusterImplBase {
  /** A forwarded membership change waits at most this long for the leader's answer. */
  private static final long FORWARD_DEADLINE_SECONDS = 30;

  private final LocalMember member;
  private final Membership membership;
  private final MemberChannels channels;

  ClusterService(LocalMember member, Membership membership, MemberChannels channels) {
    this.member = member;
    this.membership = membership;
    this.channels = channels;
  }

  @Override
  public void memberList(MemberListRequest request, StreamObserver<MemberListResponse> observer) {
    GrpcErrors.answer(() -> MemberListResponse.newBuilder().setHeader(member.clusterHeader())
        .addAllMembers(wire(member.members())).build(), observer);
  }

  @Override
  public void memberAdd(MemberAddRequest request, StreamObserver<MemberAddResponse> observer) {
    if (!member.raft().isLeader()) {
      withLeader(observer, leader -> leader.memberAdd(request, observer));
      return;
    }
    List<String> urls = request.getPeerURLsList();
    long id = membership.idFor(urls);
    CompletableFuture<Void> ready = request.getIsLearner() ? CompletableFuture.completedFuture(null)
        : membership.checkReconfigurable(OptionalLong.empty());
    GrpcErrors.reply(ready.thenCompose(x -> membership.add(urls, request.getIsLearner())),
        after -> MemberAddResponse.newBuilder().setHeader(member.clusterHeader())
            .setMember(after.getMembersList().stream().filter(m -> m.getID() == id).findFirst()
                .orElseThrow(StoreError.MEMBER_NOT_FOUND::exception))
            .addAllMembers(after.getMembersList()).build(),
        observer);
  }

  @Override
  public void memberRemove(MemberRemoveRequest request,
      StreamObserver<MemberRemoveResponse> observer) {
    if (!member.raft().isLeader()) {
      withLeader(observer, leader -> leader.memberRemove(request, observer));
      return;
    }
    GrpcErrors.reply(known(request.getID())
            .thenCompose(x -> membership.checkReconfigurable(OptionalLong.of(request.getID())))
            .thenCompose(x -> membership.remove(request.getID())),
        x -> MemberRemoveResponse.newBuilder().setHeader(member.clusterHeader())
            .addAllMembers(wire(without(request.getID()))).build(),
        observer);
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
   * Passes a voting-membership change to the leader, which alone knows which voters it hears
   * from (etcd's members each know their own peers' connections); the leader's answer, or error,
   * goes back as it is.
   */
  private void withLeader(StreamObserver<?> observer,
      Consumer<ClusterGrpc.ClusterStub> call) {
    ClusterGrpc.ClusterStub leader;
    try {
      leader = ClusterGrpc.newStub(channels.leader())
          .withDeadlineAfter(FORWARD_DEADLINE_SECONDS, TimeUnit.SECONDS);
    } catch (RuntimeException e) {
      observer.onError(GrpcErrors.toStatus(e));
      return;
    }
    call.accept(leader);
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
