package io.keel.store.grpc;

import io.etcd.jetcd.api.KVGrpc;
import io.etcd.jetcd.api.LeaseGrpc;
import io.grpc.Metadata;
import io.grpc.ServerCall;
import io.grpc.ServerCallExecutorSupplier;
import java.util.Set;
import java.util.concurrent.Executor;

/**
 * Where a call's handler runs, for a server built with {@code directExecutor()}: the calls whose
 * handlers only validate a request and hand it to Raft (writes) stay on the transport thread that
 * read them, with no hop to an executor for any of the call's events. Those handlers never block:
 * Ratis takes the request on its own executor and the reply comes back on the apply path. Every
 * other call (reads that do their work inline, streams, snapshots) moves to {@code offload}, as
 * it would run on gRPC's default executor.
 */
public final class DirectCalls implements ServerCallExecutorSupplier {
  private static final Set<String> DIRECT = Set.of(
      KVGrpc.getPutMethod().getFullMethodName(),
      KVGrpc.getDeleteRangeMethod().getFullMethodName(),
      KVGrpc.getTxnMethod().getFullMethodName(),
      KVGrpc.getCompactMethod().getFullMethodName(),
      LeaseGrpc.getLeaseGrantMethod().getFullMethodName(),
      LeaseGrpc.getLeaseRevokeMethod().getFullMethodName());

  private final Executor offload;

  public DirectCalls(Executor offload) {
    this.offload = offload;
  }

  @Override
  public <ReqT, RespT> Executor getExecutor(ServerCall<ReqT, RespT> call, Metadata metadata) {
    return DIRECT.contains(call.getMethodDescriptor().getFullMethodName()) ? null : offload;
  }
}
