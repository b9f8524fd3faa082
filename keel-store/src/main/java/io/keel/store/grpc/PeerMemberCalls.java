package io.keel.store.grpc;

import com.google.protobuf.InvalidProtocolBufferException;
import io.etcd.jetcd.api.MemberListResponse;
import io.grpc.CallOptions;
import io.grpc.ManagedChannel;
import io.grpc.MethodDescriptor;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import io.keel.store.http.ClientPortTls;
import io.keel.store.server.TlsFiles;
import io.keel.store.apply.Members;
import io.keel.store.mvcc.StoreError;
import io.keel.store.raft.PeerPortService;
import io.keel.store.server.JoinCheck;
import io.keel.store.server.LocalMember;
import java.net.URI;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * The member-list call on members' peer ports ({@link PeerPortService}): this member's answer, a
 * linearizable read of its member list, and the question a joining member asks.
 */
public final class PeerMemberCalls implements JoinCheck.PeerMembers {
  private static final MethodDescriptor<byte[], byte[]> MEMBERS = MethodDescriptor
      .<byte[], byte[]>newBuilder()
      .setType(MethodDescriptor.MethodType.UNARY)
      .setFullMethodName(PeerPortService.MEMBERS_METHOD)
      .setRequestMarshaller(RawBytes.INSTANCE)
      .setResponseMarshaller(RawBytes.INSTANCE)
      .build();
  private static final long TIMEOUT_SECONDS = 3;

  /** Lets this member answer the call on its peer port. */
  static void answerOnPeerPort(LocalMember member) {
    member.raft().peerPort().answerMembers(() -> member.linearizableRead(
        () -> MemberListResponse.newBuilder().addAllMembers(ClusterService.wire(member.members()))
            .build().toByteArray()));
  }

  private final TlsFiles peerTls;

  /** @param peerTls how to reach https:// peer URLs */
  public PeerMemberCalls(TlsFiles peerTls) {
    this.peerTls = peerTls;
  }

  @Override
  public CompletableFuture<List<Members.Member>> members(URI peerUrl) {
    var builder = NettyChannelBuilder.forAddress(peerUrl.getHost(), peerUrl.getPort());
    if (peerUrl.getScheme().equals("https") && peerTls.enabled()) {
      builder.sslContext(ClientPortTls.client(peerTls));
    } else {
      builder.usePlaintext();
    }
    ManagedChannel channel = builder.build();
    return RawBytes.call(channel, MEMBERS,
            CallOptions.DEFAULT.withDeadlineAfter(TIMEOUT_SECONDS, TimeUnit.SECONDS), new byte[0])
        .thenApply(PeerMemberCalls::parse)
        .whenComplete((list, error) -> channel.shutdownNow());
  }

  private static List<Members.Member> parse(byte[] answer) {
    try {
      return MemberListResponse.parseFrom(answer).getMembersList().stream()
          .map(Members.Member::fromWire).toList();
    } catch (InvalidProtocolBufferException e) {
      throw StoreError.CORRUPT.exception();
    }
  }
}
