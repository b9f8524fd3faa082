package io.keel.store.grpc;

import io.etcd.jetcd.api.CompactionRequest;
import io.etcd.jetcd.api.CompactionResponse;
import io.etcd.jetcd.api.DeleteRangeRequest;
import io.etcd.jetcd.api.DeleteRangeResponse;
import io.etcd.jetcd.api.KVGrpc;
import io.etcd.jetcd.api.PutRequest;
import io.etcd.jetcd.api.PutResponse;
import io.etcd.jetcd.api.RangeRequest;
import io.etcd.jetcd.api.RangeResponse;
import io.etcd.jetcd.api.RequestOp;
import io.etcd.jetcd.api.TxnRequest;
import io.etcd.jetcd.api.TxnResponse;
import io.grpc.stub.StreamObserver;
import io.keel.store.apply.RequestValidator;
import io.keel.store.raft.Command;
import io.keel.store.server.LocalMember;
import io.keel.store.auth.Caller;
import java.util.List;
import java.util.function.Supplier;
import java.util.concurrent.CompletableFuture;

/** etcd's KV service: validates, routes to Raft or local state, fills in headers. */
public final class KvService extends KVGrpc.KVImplBase {
  private final LocalMember member;
  private final RequestValidator validator;

  public KvService(LocalMember member) {
    this.member = member;
    this.validator = new RequestValidator(member.limits().maxTxnOps());
  }

  @Override
  public void range(RangeRequest request, StreamObserver<RangeResponse> observer) {
    CompletableFuture<RangeResponse> result;
    try {
      validator.checkRange(request);
      Caller caller = AuthInterceptor.currentCaller(member.auth());
      Supplier<RangeResponse> read = () -> {
        member.applier().permissions().range(caller, request);
        return member.applier().range(request);
      };
      result = request.getSerializable()
          ? CompletableFuture.completedFuture(read.get())
          : member.linearizableRead(read);
    } catch (RuntimeException e) {
      result = CompletableFuture.failedFuture(e);
    }
    GrpcErrors.reply(result,
        r -> r.toBuilder().setHeader(member.complete(r.getHeader())).build(), observer);
  }

  @Override
  public void put(PutRequest request, StreamObserver<PutResponse> observer) {
    GrpcErrors.reply(submit(() -> validator.checkPut(request), Command.PUT, request,
            PutResponse.parser()),
        r -> r.toBuilder().setHeader(member.complete(r.getHeader())).build(), observer);
  }

  @Override
  public void deleteRange(DeleteRangeRequest request,
      StreamObserver<DeleteRangeResponse> observer) {
    GrpcErrors.reply(submit(() -> validator.checkDelete(request), Command.DELETE_RANGE, request,
            DeleteRangeResponse.parser()),
        r -> r.toBuilder().setHeader(member.complete(r.getHeader())).build(), observer);
  }

  @Override
  public void txn(TxnRequest request, StreamObserver<TxnResponse> observer) {
    CompletableFuture<TxnResponse> result;
    try {
      validator.checkTxn(request);
      Caller caller = AuthInterceptor.currentCaller(member.auth());
      result = isReadOnly(request)
          ? member.linearizableRead(() -> {
            member.applier().permissions().txn(caller, request);
            return member.applier().txn(request);
          })
          : member.write(caller, Command.TXN, request, TxnResponse.parser());
    } catch (RuntimeException e) {
      result = CompletableFuture.failedFuture(e);
    }
    GrpcErrors.reply(result,
        r -> r.toBuilder().setHeader(member.complete(r.getHeader())).build(), observer);
  }

  @Override
  public void compact(CompactionRequest request, StreamObserver<CompactionResponse> observer) {
    // no permission is needed, but a token the member does not know is refused, as by etcd
    GrpcErrors.reply(submit(() -> { }, Command.COMPACT, request, CompactionResponse.parser()),
        r -> r.toBuilder().setHeader(member.complete(r.getHeader())).build(), observer);
  }

  private <T extends com.google.protobuf.MessageLite> CompletableFuture<T> submit(
      Runnable check, Command command, com.google.protobuf.MessageLite request,
      com.google.protobuf.Parser<T> parser) {
    try {
      check.run();
      return member.write(AuthInterceptor.currentCaller(member.auth()), command, request, parser);
    } catch (RuntimeException e) {
      return CompletableFuture.failedFuture(e);
    }
  }

  private static boolean isReadOnly(TxnRequest r) {
    return isReadOnly(r.getSuccessList()) && isReadOnly(r.getFailureList());
  }

  private static boolean isReadOnly(List<RequestOp> ops) {
    for (RequestOp op : ops) {
      if (op.hasRequestPut() || op.hasRequestDeleteRange()
          || (op.hasRequestTxn() && !isReadOnly(op.getRequestTxn()))) {
        return false;
      }
    }
    return true;
  }
}
