package io.keel.store.grpc;

import io.grpc.CallOptions;
import io.grpc.MethodDescriptor;
import io.grpc.ServerServiceDefinition;
import io.grpc.stub.ServerCalls;
import io.grpc.stub.StreamObserver;
import io.keel.store.mvcc.StoreError;
import io.keel.store.server.LocalMember;
import io.keel.store.server.RemovalWatch;
import java.nio.ByteBuffer;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * Whether the cluster lists a member, asked on another member's client port ({@code
 * keel.internal.Members/Lists}: 8 bytes of member id, answered with one byte, 1 when listed).
 * The answer comes from a linearizable read of the member list. See {@link RemovalWatch}.
 */
final class MemberQuestionCalls implements RemovalWatch.MemberQuestions {
  private static final String SERVICE = "keel.internal.Members";
  static final MethodDescriptor<byte[], byte[]> LISTS = RawBytes.unaryMethod(SERVICE, "Lists");
  private static final long TIMEOUT_SECONDS = 5;

  private final MemberChannels channels;

  MemberQuestionCalls(MemberChannels channels) {
    this.channels = channels;
  }

  /** The answering member's side. */
  static ServerServiceDefinition service(LocalMember member) {
    return ServerServiceDefinition.builder(SERVICE)
        .addMethod(LISTS, ServerCalls.asyncUnaryCall(
            (byte[] request, StreamObserver<byte[]> observer) -> {
              if (request.length != Long.BYTES) {
                observer.onError(GrpcErrors.toStatus(StoreError.CORRUPT.exception()));
                return;
              }
              long id = ByteBuffer.wrap(request).getLong();
              GrpcErrors.reply(member.linearizableRead(
                      () -> member.applier().members().get(id).isPresent()),
                  listed -> new byte[] {(byte) (listed ? 1 : 0)}, observer);
            }))
        .build();
  }

  @Override
  public CompletableFuture<Boolean> lists(String clientUrl, long memberId) {
    return RawBytes.call(channels.to(clientUrl), LISTS,
            CallOptions.DEFAULT.withDeadlineAfter(TIMEOUT_SECONDS, TimeUnit.SECONDS),
            ByteBuffer.allocate(Long.BYTES).putLong(memberId).array())
        .thenApply(answer -> {
          if (answer.length != 1) {
            throw StoreError.CORRUPT.exception();
          }
          return answer[0] == 1;
        });
  }
}
