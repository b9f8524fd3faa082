package io.keel.store.grpc;

import io.etcd.jetcd.api.ClusterGrpc;
import io.etcd.jetcd.api.Member;
import io.etcd.jetcd.api.MemberListRequest;
import io.etcd.jetcd.api.MemberListResponse;
import io.grpc.stub.StreamObserver;
import io.keel.store.server.LocalMember;
import io.keel.store.server.MemberIdentity;

/** etcd's Cluster service: the member list. Membership changes come with clustering. */
public final class ClusterService extends ClusterGrpc.ClusterImplBase {
  private final LocalMember member;

  public ClusterService(LocalMember member) {
    this.member = member;
  }

  @Override
  public void memberList(MemberListRequest request, StreamObserver<MemberListResponse> observer) {
    GrpcErrors.answer(() -> {
      var resp = MemberListResponse.newBuilder().setHeader(member.header());
      for (MemberIdentity.Member m : member.members()) {
        resp.addMembers(Member.newBuilder()
            .setID(m.id())
            .setName(m.name())
            .addAllPeerURLs(m.peerUrls())
            .addAllClientURLs(m.clientUrls()));
      }
      return resp.build();
    }, observer);
  }
}
