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
import io.keel.store.apply.Protos;
import io.keel.store.lease.Lease;
import io.keel.store.raft.Command;
import io.keel.store.server.LeaseIds;
import io.keel.store.server.LocalMember;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

/**
 * etcd's Lease service. On the leader, keep-alives and TTL queries are answered by the lessor
 * directly; a follower passes them to the leader.
 */
public final class LeaseService extends LeaseGrpc.LeaseImplBase {
  private final LocalMember member;
  private final LeaseIds ids;
  private final LeaderLeases leader;

  LeaseService(LocalMember member, LeaseIds ids, MemberChannels channels) {
    this.member = member;
    this.ids = ids;
    this.leader = new LeaderLeases(channels);
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
        if (!member.raft().isLeader()) {
          leader.keepAlive(request).whenComplete((r, e) -> {
            if (e == null) {
              send(r.toBuilder().setHeader(member.header()).build());
            } else {
              synchronized (observer) {
                observer.onError(GrpcErrors.toStatus(e));
              }
            }
          });
          return;
        }
        Optional<Long> ttl = member.lessor().renew(request.getID());
        send(LeaseKeepAliveResponse.newBuilder()
            .setHeader(member.header())
            .setID(request.getID())
            .setTTL(ttl.orElse(0L))
            .build());
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
    if (!member.raft().isLeader()) {
      GrpcErrors.reply(leader.timeToLive(request),
          r -> r.toBuilder().setHeader(member.header()).build(), observer);
      return;
    }
    GrpcErrors.answer(() -> {
      var resp = LeaseTimeToLiveResponse.newBuilder().setHeader(member.header())
          .setID(request.getID());
      Optional<Lease> lease = member.lessor().lookup(request.getID());
      if (lease.isEmpty()) {
        return resp.setTTL(-1).build();
      }
      resp.setTTL(member.lessor().remainingSeconds(lease.get()))
          .setGrantedTTL(lease.get().ttlSeconds());
      if (request.getKeys()) {
        lease.get().keys().forEach(k -> resp.addKeys(Protos.byteString(k)));
      }
      return resp.build();
    }, observer);
  }
}
