package io.keel.store.grpc;

import com.google.protobuf.ByteString;
import io.etcd.jetcd.api.RequestOp;
import io.etcd.jetcd.api.ResponseHeader;
import io.etcd.jetcd.api.TxnRequest;
import io.etcd.jetcd.api.TxnResponse;
import io.etcd.jetcd.api.lock.LockGrpc;
import io.etcd.jetcd.api.lock.LockRequest;
import io.etcd.jetcd.api.lock.LockResponse;
import io.etcd.jetcd.api.lock.UnlockRequest;
import io.etcd.jetcd.api.lock.UnlockResponse;
import io.grpc.stub.StreamObserver;

/**
 * etcd's {@code v3lockpb.Lock} service (jetcd's {@code Lock} client): its mutex recipe on the
 * member's own API. The lock is the key {@code name/<lease in hex>}; the waiter whose key was
 * created first holds it; {@code Unlock} deletes the key.
 */
final class LockService extends LockGrpc.LockImplBase {
  private final LocalClient client;

  LockService(LocalClient client) {
    this.client = client;
  }

  @Override
  public void lock(LockRequest request, StreamObserver<LockResponse> observer) {
    BlockingCalls.answer(observer, () -> lock(request.getName(), request.getLease()));
  }

  private LockResponse lock(ByteString name, long requestedLease) {
    long lease = client.sessionLease(requestedLease);
    ByteString prefix = LocalClient.prefixOf(name);
    ByteString myKey = LocalClient.sessionKey(prefix, lease);
    RequestOp owner = RequestOp.newBuilder().setRequestRange(LocalClient.firstCreated(prefix))
        .build();
    TxnResponse taken = client.txn(TxnRequest.newBuilder()
        .addCompare(LocalClient.createdAt(myKey, 0))
        .addSuccess(LocalClient.put(myKey, ByteString.EMPTY, lease)).addSuccess(owner)
        .addFailure(LocalClient.get(myKey)).addFailure(owner).build());
    long myRevision = taken.getSucceeded() ? taken.getHeader().getRevision()
        : taken.getResponses(0).getResponseRange().getKvs(0).getCreateRevision();
    var holders = taken.getResponses(1).getResponseRange().getKvsList();
    if (holders.isEmpty() || holders.get(0).getCreateRevision() == myRevision) {
      return answer(taken.getHeader(), myKey);
    }
    try {
      return answer(client.waitDeletes(prefix, myRevision - 1), myKey);
    } catch (RuntimeException e) {
      BlockingCalls.detached(() -> client.delete(myKey));
      throw e;
    }
  }

  private static LockResponse answer(ResponseHeader header, ByteString key) {
    return LockResponse.newBuilder().setHeader(header).setKey(key).build();
  }

  @Override
  public void unlock(UnlockRequest request, StreamObserver<UnlockResponse> observer) {
    BlockingCalls.answer(observer,
        () -> UnlockResponse.newBuilder().setHeader(client.delete(request.getKey())).build());
  }
}
