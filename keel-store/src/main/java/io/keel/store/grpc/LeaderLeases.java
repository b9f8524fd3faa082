package io.keel.store.grpc;

import io.etcd.jetcd.api.LeaseGrpc;
import io.etcd.jetcd.api.LeaseKeepAliveRequest;
import io.etcd.jetcd.api.LeaseKeepAliveResponse;
import io.etcd.jetcd.api.LeaseTimeToLiveRequest;
import io.etcd.jetcd.api.LeaseTimeToLiveResponse;
import io.grpc.stub.StreamObserver;
import io.keel.store.mvcc.StoreError;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * Only the leader knows when a lease expires, so a follower passes keep-alives and TTL
 * queries on to the leader, over the leader's own etcd client URL (as etcd followers forward
 * them to theirs).
 */
final class LeaderLeases {
  private static final long TIMEOUT_SECONDS = 5;

  private final MemberChannels channels;

  LeaderLeases(MemberChannels channels) {
    this.channels = channels;
  }

  CompletableFuture<LeaseKeepAliveResponse> keepAlive(LeaseKeepAliveRequest request) {
    CompletableFuture<LeaseKeepAliveResponse> result = new CompletableFuture<>();
    LeaseGrpc.LeaseStub stub;
    try {
      stub = stub();
    } catch (RuntimeException e) {
      return CompletableFuture.failedFuture(e);
    }
    StreamObserver<LeaseKeepAliveRequest> requests = stub.leaseKeepAlive(new StreamObserver<>() {
      @Override
      public void onNext(LeaseKeepAliveResponse response) {
        result.complete(response);
      }

      @Override
      public void onError(Throwable t) {
        result.completeExceptionally(t);
      }

      @Override
      public void onCompleted() {
        result.completeExceptionally(StoreError.LEADER_CHANGED.exception());
      }
    });
    requests.onNext(request);
    return result.whenComplete((r, e) -> requests.onCompleted());
  }

  CompletableFuture<LeaseTimeToLiveResponse> timeToLive(LeaseTimeToLiveRequest request) {
    CompletableFuture<LeaseTimeToLiveResponse> result = new CompletableFuture<>();
    try {
      stub().leaseTimeToLive(request, new StreamObserver<>() {
        @Override
        public void onNext(LeaseTimeToLiveResponse response) {
          result.complete(response);
        }

        @Override
        public void onError(Throwable t) {
          result.completeExceptionally(t);
        }

        @Override
        public void onCompleted() {}
      });
    } catch (RuntimeException e) {
      result.completeExceptionally(e);
    }
    return result;
  }

  private LeaseGrpc.LeaseStub stub() {
    return LeaseGrpc.newStub(channels.leader()).withWaitForReady()
        .withDeadlineAfter(TIMEOUT_SECONDS, TimeUnit.SECONDS);
  }
}
