package io.keel.store.grpc;

import io.grpc.CallOptions;
import io.grpc.MethodDescriptor;
import io.grpc.ServerServiceDefinition;
import io.grpc.stub.ServerCalls;
import io.grpc.stub.StreamObserver;
import io.keel.store.mvcc.StoreError;
import io.keel.store.raft.RaftNode;
import io.keel.store.server.LocalMember;
import java.nio.ByteBuffer;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * How the leader confirms a linearizable read round: it asks each other voter for its current Raft
 * term on the voter's client port ({@code keel.internal.RaftTerm/Current}, an empty request
 * answered with 8 bytes). See {@code ReadRounds} and {@code LeadershipCheck}.
 */
final class VoterTermCalls implements RaftNode.VoterTerms {
  private static final String SERVICE = "keel.internal.RaftTerm";
  static final MethodDescriptor<byte[], byte[]> CURRENT = RawBytes.unaryMethod(SERVICE, "Current");
  private static final long TIMEOUT_SECONDS = 5;

  private final LocalMember member;
  private final MemberChannels channels;

  VoterTermCalls(LocalMember member, MemberChannels channels) {
    this.member = member;
    this.channels = channels;
  }

  /** The voter's side: its current term, read when the question arrives. */
  static ServerServiceDefinition service(LocalMember member) {
    return ServerServiceDefinition.builder(SERVICE)
        .addMethod(CURRENT, ServerCalls.asyncUnaryCall(
            (byte[] request, StreamObserver<byte[]> observer) -> {
              observer.onNext(ByteBuffer.allocate(Long.BYTES).putLong(member.raft().term())
                  .array());
              observer.onCompleted();
            }))
        .build();
  }

  @Override
  public CompletableFuture<Long> currentTerm(String voterId) {
    String url = member.clientUrlOf(voterId).orElse(null);
    if (url == null) {
      return CompletableFuture.failedFuture(StoreError.NO_LEADER.exception());
    }
    return RawBytes.call(channels.to(url), CURRENT,
        CallOptions.DEFAULT.withDeadlineAfter(TIMEOUT_SECONDS, TimeUnit.SECONDS), new byte[0])
        .thenApply(answer -> {
          if (answer.length != Long.BYTES) {
            throw StoreError.CORRUPT.exception();
          }
          return ByteBuffer.wrap(answer).getLong();
        });
  }
}
