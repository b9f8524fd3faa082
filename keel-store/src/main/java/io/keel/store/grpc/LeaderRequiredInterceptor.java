package io.keel.store.grpc;

import io.grpc.Metadata;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerInterceptor;
import io.grpc.Status;
import io.keel.store.mvcc.StoreError;
import java.util.function.BooleanSupplier;

/**
 * etcd's {@code hasleader} metadata: a client that sets it wants an error, not a wait, while the
 * member has no leader.
 */
public final class LeaderRequiredInterceptor implements ServerInterceptor {
  private static final Metadata.Key<String> HAS_LEADER =
      Metadata.Key.of("hasleader", Metadata.ASCII_STRING_MARSHALLER);

  private final BooleanSupplier hasLeader;

  public LeaderRequiredInterceptor(BooleanSupplier hasLeader) {
    this.hasLeader = hasLeader;
  }

  @Override
  public <Q, R> ServerCall.Listener<Q> interceptCall(ServerCall<Q, R> call, Metadata headers,
      ServerCallHandler<Q, R> next) {
    if (headers.containsKey(HAS_LEADER) && !hasLeader.getAsBoolean()) {
      call.close(Status.UNAVAILABLE.withDescription(StoreError.NO_LEADER.message()),
          new Metadata());
      return new ServerCall.Listener<>() {};
    }
    return next.startCall(call, headers);
  }
}
