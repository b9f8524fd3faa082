package io.keel.store.grpc;

import io.grpc.CallOptions;
import io.grpc.MethodDescriptor;
import io.grpc.ServerServiceDefinition;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.stub.ServerCalls;
import io.grpc.stub.StreamObserver;
import io.keel.store.raft.RaftNode;
import io.keel.store.server.LocalMember;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeUnit;

/**
 * How a follower's writes reach the leader: the tagged log entry is sent to the leader's client
 * port ({@code keel.internal.RaftForward/Propose}), the leader appends it to its log and answers
 * with the encoded result. A leader that is no longer leader refuses before appending, so that
 * refusal (and a refused connection) is safe to retry; anything else is reported to the client,
 * which may not know whether the write happened, as with etcd.
 */
final class RaftForwarding implements RaftNode.Forwarder {
  private static final String SERVICE = "keel.internal.RaftForward";
  static final MethodDescriptor<byte[], byte[]> PROPOSE = RawBytes.unaryMethod(SERVICE, "Propose");
  private static final String NOT_LEADER = "keel: not the leader";
  private static final int ATTEMPTS = 20;
  /** The longest wait before trying again; a leader becoming known or ready ends it sooner. */
  private static final long RETRY_MILLIS = 100;
  private static final long TIMEOUT_SECONDS = 5;

  private final LocalMember member;
  private final MemberChannels channels;

  RaftForwarding(LocalMember member, MemberChannels channels) {
    this.member = member;
    this.channels = channels;
  }

  /** The leader's side. */
  static ServerServiceDefinition service(LocalMember member) {
    return ServerServiceDefinition.builder(SERVICE)
        .addMethod(PROPOSE, ServerCalls.asyncUnaryCall(
            (byte[] entry, StreamObserver<byte[]> observer) -> {
              if (!member.raft().isLeader()) {
                observer.onError(Status.FAILED_PRECONDITION.withDescription(NOT_LEADER)
                    .asRuntimeException());
                return;
              }
              member.raft().serveForwarded(entry).whenComplete((result, error) -> {
                if (error != null && RaftNode.refusedBeforeAppend(error)) {
                  observer.onError(Status.FAILED_PRECONDITION.withDescription(NOT_LEADER)
                      .asRuntimeException());
                } else if (error != null) {
                  observer.onError(GrpcErrors.toStatus(error));
                } else {
                  observer.onNext(result);
                  observer.onCompleted();
                }
              });
            }))
        .build();
  }

  @Override
  public CompletableFuture<byte[]> forward(byte[] entry) {
    return member.raft().leaderEvents()
        .retry(() -> attempt(entry), (bytes, error) -> error != null && safeToRetry(error),
            ATTEMPTS, RETRY_MILLIS)
        .exceptionallyCompose(error -> CompletableFuture.failedFuture(unwrap(error)));
  }

  private CompletableFuture<byte[]> attempt(byte[] entry) {
    try {
      return member.raft().isLeader() ? member.raft().serveForwarded(entry) : send(entry);
    } catch (RuntimeException e) {
      return CompletableFuture.failedFuture(e);
    }
  }

  /**
   * The leader's answer is handled on the transport thread that read it, one thread hand-off
   * fewer per forwarded batch: delivering a batch's results only completes futures and queues
   * the replies, which never blocks.
   */
  private CompletableFuture<byte[]> send(byte[] entry) {
    return RawBytes.call(channels.leader(), PROPOSE,
        CallOptions.DEFAULT.withWaitForReady().withDeadlineAfter(TIMEOUT_SECONDS, TimeUnit.SECONDS)
            .withExecutor(Runnable::run),
        entry);
  }

  private static boolean safeToRetry(Throwable error) {
    if (RaftNode.refusedBeforeAppend(error)) {
      return true;
    }
    if (unwrap(error) instanceof StatusRuntimeException s) {
      boolean refusedByFormerLeader = s.getStatus().getCode() == Status.Code.FAILED_PRECONDITION
          && NOT_LEADER.equals(s.getStatus().getDescription());
      boolean neverConnected = s.getStatus().getCode() == Status.Code.UNAVAILABLE
          && s.getCause() instanceof java.net.ConnectException;
      return refusedByFormerLeader || neverConnected;
    }
    return false;
  }

  private static Throwable unwrap(Throwable error) {
    return error instanceof CompletionException && error.getCause() != null
        ? error.getCause() : error;
  }
}
