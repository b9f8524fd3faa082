package io.keel.store.grpc;

import io.grpc.CallOptions;
import io.grpc.Context;
import io.grpc.MethodDescriptor;
import io.grpc.ServerServiceDefinition;
import io.grpc.stub.ClientCalls;
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
  static final MethodDescriptor<byte[], byte[]> CURRENT =
      MethodDescriptor.<byte[], byte[]>newBuilder()
          .setType(MethodDescriptor.MethodType.UNARY)
          .setFullMethodName(MethodDescriptor.generateFullMethodName(SERVICE, "Current"))
          .setRequestMarshaller(RawBytes.INSTANCE)
          .setResponseMarshaller(RawBytes.INSTANCE)
          .build();
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
    CompletableFuture<Long> term = new CompletableFuture<>();
    // Asked on behalf of many reads: it must not inherit one read call's gRPC context.
    Context previous = Context.ROOT.attach();
    try {
      var call = channels.to(url).newCall(CURRENT,
          CallOptions.DEFAULT.withDeadlineAfter(TIMEOUT_SECONDS, TimeUnit.SECONDS));
      ClientCalls.asyncUnaryCall(call, new byte[0], new StreamObserver<>() {
        @Override
        public void onNext(byte[] value) {
          if (value.length == Long.BYTES) {
            term.complete(ByteBuffer.wrap(value).getLong());
          } else {
            term.completeExceptionally(StoreError.CORRUPT.exception());
          }
        }

        @Override
        public void onError(Throwable t) {
          term.completeExceptionally(t);
        }

        @Override
        public void onCompleted() {}
      });
    } finally {
      Context.ROOT.detach(previous);
    }
    return term;
  }
}
