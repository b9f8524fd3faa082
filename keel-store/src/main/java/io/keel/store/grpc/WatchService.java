package io.keel.store.grpc;

import io.etcd.jetcd.api.WatchGrpc;
import io.etcd.jetcd.api.WatchRequest;
import io.etcd.jetcd.api.WatchResponse;
import io.grpc.stub.ServerCallStreamObserver;
import io.grpc.stub.StreamObserver;
import io.keel.store.server.LocalMember;
import io.keel.store.watch.WatchHub;
import java.util.concurrent.Executor;

/** etcd's Watch service: one {@link WatchStream} per client stream. */
public final class WatchService extends WatchGrpc.WatchImplBase {
  private final LocalMember member;
  private final WatchHub hub;
  private final Executor executor;

  public WatchService(LocalMember member, WatchHub hub, Executor executor) {
    this.member = member;
    this.hub = hub;
    this.executor = executor;
  }

  @Override
  public StreamObserver<WatchRequest> watch(StreamObserver<WatchResponse> observer) {
    var stream = new WatchStream(member, hub, executor,
        (ServerCallStreamObserver<WatchResponse>) observer);
    stream.open();
    return stream;
  }
}
