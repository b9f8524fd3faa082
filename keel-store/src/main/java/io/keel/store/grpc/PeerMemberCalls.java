package io.keel.store.grpc;

import io.etcd.jetcd.api.MemberListResponse;
import io.grpc.CallOptions;
import io.grpc.ManagedChannel;
import io.grpc.MethodDescriptor;
import io.keel.store.server.TlsFiles;
import io.keel.store.apply.Members;
import io.keel.store.raft.PeerPortService;
import io.keel.store.server.JoinCheck;
import io.keel.store.server.LocalMember;
import io.keel.store.server.RemovalWatch;
import java.net.URI;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * The member-list call on members' peer ports ({@link PeerPortService.Call#MEMBERS}): this
 * member's answer, a linearizable read of its member list; the question a joining member asks;
 * and whether the cluster still lists a member ({@link RemovalWatch}). Each question opens a
 * channel of its own: they are rare.
 */
public final class PeerMemberCalls implements JoinCheck.PeerMembers, RemovalWatch.MemberQuestions {
  private static final MethodDescriptor<byte[], byte[]> MEMBERS =
      PeerCalls.method(PeerPortService.Call.MEMBERS);
  private static final long TIMEOUT_SECONDS = 3;

  /** Lets this member answer the call on its peer port. */
  static void answerOnPeerPort(LocalMember member) {
    member.raft().peerPort().answer(PeerPortService.Call.MEMBERS,
        request -> member.linearizableRead(() -> MemberListResponse.newBuilder()
            .setHeader(member.clusterHeader())
            .addAllMembers(ClusterService.wire(member.members())).build().toByteArray()));
  }

  private final TlsFiles peerTls;

  /** @param peerTls how to reach https:// peer URLs */
  public PeerMemberCalls(TlsFiles peerTls) {
    this.peerTls = peerTls;
  }

  @Override
  public CompletableFuture<JoinCheck.Listing> members(URI peerUrl) {
    ManagedChannel channel = PeerCalls.newChannel(peerUrl, peerTls);
    return RawBytes.call(channel, MEMBERS,
            CallOptions.DEFAULT.withDeadlineAfter(TIMEOUT_SECONDS, TimeUnit.SECONDS), new byte[0])
        .thenApply(answer -> {
          MemberListResponse list = PeerCalls.parse(MemberListResponse.parser(), answer);
          return new JoinCheck.Listing(list.getHeader().getClusterId(),
              list.getMembersList().stream().map(Members.Member::fromWire).toList());
        })
        .whenComplete((list, error) -> channel.shutdownNow());
  }

  @Override
  public CompletableFuture<Boolean> lists(String peerUrl, long memberId) {
    return members(URI.create(peerUrl))
        .thenApply(listing -> listing.members().stream().anyMatch(m -> m.id() == memberId));
  }
}
