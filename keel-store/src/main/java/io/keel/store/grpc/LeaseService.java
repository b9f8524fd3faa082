package io.keel.store.grpc;

import io.etcd.jetcd.api.LeaseGrantRequest;
import io.etcd.jetcd.api.LeaseGrantResponse;
import io.etcd.jetcd.api.LeaseGrpc;
import io.etcd.jetcd.api.LeaseKeepAliveRequest;
import io.etcd.jetcd.api.LeaseKeepAliveResponse;
import io.etcd.jetcd.api.LeaseRevokeRequest;
import io.etcd.jetcd.api.LeaseRevokeResponse;
import io.etcd.jetcd.api.LeaseTimeToLiveRequest;
import io.etcd.jetcd.api.LeaseTimeToLiveResponse;
import io.grpc.stub.StreamObserver;
import io.keel.store.raft.Command;
import io.keel.store.server.LeaseIds;
import io.keel.store.server.LocalMember;
import java.util.concurrent.CompletableFuture;

/** etcd's Lease service. Keep-alives and TTL queries are the leader's ({@link LeaderLeases}). */
public final class LeaseService extends LeaseGrpc.LeaseImplBase {
  private final LocalMember member;
  private final LeaseIds ids;
  private final LeaderLeases leader;

  LeaseService(LocalMember member, LeaseIds ids, PeerCalls peers) {
    this.member = member;
    this.ids = ids;
    this.leader = new LeaderLeases(member, peers);
  }

  @Override
  public void leaseGrant(LeaseGrantRequest request, StreamObserver<LeaseGrantResponse> observer) {
    LeaseGrantRequest withId = request.getID() != 0 ? request
        : request.toBuilder().setID(ids.next(member.lessor())).build();
    CompletableFuture<LeaseGrantResponse> granted;
    try {
      // no permission is needed, but a token the member does not know is refused, as by etcd
      AuthInterceptor.currentCaller(member.auth());
      granted = member.write(Command.LEASE_GRANT, withId, LeaseGrantResponse.parser());
    } catch (RuntimeException e) {
      granted = CompletableFuture.failedFuture(e);
    }
    GrpcErrors.reply(granted,
        r -> r.toBuilder().setHeader(member.complete(r.getHeader())).build(), observer);
  }

  @Override
  public void leaseRevoke(LeaseRevokeRequest request,
      StreamObserver<LeaseRevokeResponse> observer) {
    CompletableFuture<LeaseRevokeResponse> revoked;
    try {
      revoked = member.write(AuthInterceptor.currentCaller(member.auth()), Command.LEASE_REVOKE,
          request, LeaseRevokeResponse.parser());
    } catch (RuntimeException e) {
      revoked = CompletableFuture.failedFuture(e);
    }
    GrpcErrors.reply(revoked,
        r -> r.toBuilder().setHeader(member.complete(r.getHeader())).build(), observer);
  }

  @Override
  public StreamObserver<LeaseKeepAliveRequest> leaseKeepAlive(
      StreamObserver<LeaseKeepAliveResponse> observer) {
    return new StreamObserver<>() {
      @Override
      public void onNext(LeaseKeepAliveRequest request) {
        leader.keepAlive(request).whenComplete((response, error) -> {
          if (error == null) {
            send(response);
          } else {
            synchronized (observer) {
              observer.onError(GrpcErrors.toStatus(error));
            }
          }
        });
      }

      private void send(LeaseKeepAliveResponse response) {
        synchronized (observer) {
          try {
            observer.onNext(response);
          } catch (RuntimeException e) {
            // the client went away
          }
        }
      }

      @Override
      public void onError(Throwable t) {}

      @Override
      public void onCompleted() {
        synchronized (observer) {
          observer.onCompleted();
        }
      }
    };
  }

  @Override
  public void leaseTimeToLive(LeaseTimeToLiveRequest request,
      StreamObserver<LeaseTimeToLiveResponse> observer) {
    GrpcErrors.reply(leader.timeToLive(request), r -> r, observer);
  }
}
