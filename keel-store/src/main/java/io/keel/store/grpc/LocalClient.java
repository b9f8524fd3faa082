package io.keel.store.grpc;

import com.google.protobuf.ByteString;
import io.etcd.jetcd.api.Compare;
import io.etcd.jetcd.api.DeleteRangeRequest;
import io.etcd.jetcd.api.KVGrpc;
import io.etcd.jetcd.api.LeaseGrantRequest;
import io.etcd.jetcd.api.LeaseGrpc;
import io.etcd.jetcd.api.PutRequest;
import io.etcd.jetcd.api.RangeRequest;
import io.etcd.jetcd.api.RangeResponse;
import io.etcd.jetcd.api.RequestOp;
import io.etcd.jetcd.api.ResponseHeader;
import io.etcd.jetcd.api.TxnRequest;
import io.etcd.jetcd.api.TxnResponse;
import io.etcd.jetcd.api.WatchCreateRequest;
import io.etcd.jetcd.api.WatchGrpc;
import io.etcd.jetcd.api.WatchRequest;
import io.etcd.jetcd.api.WatchResponse;
import io.grpc.Channel;
import io.grpc.Context;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.stub.StreamObserver;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;

/**
 * The member's own etcd API as a blocking client, for the calls etcd serves with its in-process
 * client ({@code v3lock}, {@code v3election}): the building blocks of etcd's
 * {@code clientv3/concurrency}. Calls run in the caller's gRPC {@link Context}, so a client that
 * cancels cancels them.
 */
final class LocalClient {
  /** etcd's default session TTL, for a lock or campaign that names no lease. */
  static final long SESSION_TTL_SECONDS = 60;

  private final Channel channel;

  LocalClient(Channel channel) {
    this.channel = channel;
  }

  TxnResponse txn(TxnRequest request) {
    return KVGrpc.newBlockingStub(channel).txn(request);
  }

  RangeResponse range(RangeRequest request) {
    return KVGrpc.newBlockingStub(channel).range(request);
  }

  ResponseHeader delete(ByteString key) {
    return KVGrpc.newBlockingStub(channel)
        .deleteRange(DeleteRangeRequest.newBuilder().setKey(key).build()).getHeader();
  }

  /** The lease a session uses: {@code requested}, or a new one when it is 0, as etcd's. */
  long sessionLease(long requested) {
    if (requested != 0) {
      return requested;
    }
    return LeaseGrpc.newBlockingStub(channel)
        .leaseGrant(LeaseGrantRequest.newBuilder().setTTL(SESSION_TTL_SECONDS).build()).getID();
  }

  /** {@code prefix + lease in hex}, the key a session holds under a lock's or election's prefix. */
  static ByteString sessionKey(ByteString prefix, long lease) {
    return prefix.concat(ByteString.copyFromUtf8(Long.toHexString(lease)));
  }

  static ByteString prefixOf(ByteString name) {
    return name.concat(ByteString.copyFromUtf8("/"));
  }

  /** The key under {@code prefix} created first (etcd's {@code WithFirstCreate}). */
  static RangeRequest firstCreated(ByteString prefix) {
    return top(prefix, RangeRequest.SortOrder.ASCEND).build();
  }

  static RangeRequest.Builder top(ByteString prefix, RangeRequest.SortOrder order) {
    return RangeRequest.newBuilder().setKey(prefix).setRangeEnd(prefixEnd(prefix))
        .setSortTarget(RangeRequest.SortTarget.CREATE).setSortOrder(order).setLimit(1);
  }

  static Compare createdAt(ByteString key, long revision) {
    return Compare.newBuilder().setKey(key).setTarget(Compare.CompareTarget.CREATE)
        .setResult(Compare.CompareResult.EQUAL).setCreateRevision(revision).build();
  }

  static RequestOp put(ByteString key, ByteString value, long lease) {
    return RequestOp.newBuilder().setRequestPut(
        PutRequest.newBuilder().setKey(key).setValue(value).setLease(lease)).build();
  }

  static RequestOp get(ByteString key) {
    return RequestOp.newBuilder().setRequestRange(RangeRequest.newBuilder().setKey(key)).build();
  }

  /**
   * Waits until no key under {@code prefix} created at or before {@code maxCreateRevision} is
   * left (etcd's {@code waitDeletes}); returns the header of the read that found none.
   */
  ResponseHeader waitDeletes(ByteString prefix, long maxCreateRevision) {
    while (true) {
      RangeResponse newest = range(top(prefix, RangeRequest.SortOrder.DESCEND)
          .setMaxCreateRevision(maxCreateRevision).build());
      if (newest.getKvsCount() == 0) {
        return newest.getHeader();
      }
      try (Watch watch = watch(newest.getKvs(0).getKey(), ByteString.EMPTY,
          newest.getHeader().getRevision())) {
        while (watch.next().getEventsList().stream()
            .noneMatch(e -> e.getType() == io.etcd.jetcd.api.Event.EventType.DELETE)) {
          // a put on the key it waits for: keep waiting for its deletion
        }
      }
    }
  }

  /** A watch of {@code key} (to {@code rangeEnd}, if not empty) from {@code revision}. */
  Watch watch(ByteString key, ByteString rangeEnd, long revision) {
    var watch = new Watch();
    StreamObserver<WatchRequest> requests = WatchGrpc.newStub(channel).watch(watch);
    watch.requests = requests;
    requests.onNext(WatchRequest.newBuilder().setCreateRequest(WatchCreateRequest.newBuilder()
        .setKey(key).setRangeEnd(rangeEnd).setStartRevision(revision)).build());
    return watch;
  }

  /** A watch's responses in order; {@link #next} blocks until one comes, and fails with the stream. */
  static final class Watch implements StreamObserver<WatchResponse>, AutoCloseable {
    private static final WatchResponse ENDED = WatchResponse.getDefaultInstance();
    private final BlockingQueue<WatchResponse> responses = new LinkedBlockingQueue<>();
    private volatile StreamObserver<WatchRequest> requests;
    private volatile Throwable failure;

    /** The next response with events, or a failure once the stream ends or the caller is cancelled. */
    WatchResponse next() {
      while (true) {
        WatchResponse response;
        try {
          response = responses.take();
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          throw Status.CANCELLED.withDescription("interrupted").asRuntimeException();
        }
        if (response == ENDED) {
          responses.add(ENDED);
          throw failure instanceof StatusRuntimeException s ? s
              : Status.fromThrowable(failure).asRuntimeException();
        }
        if (response.getCanceled()) {
          throw Status.UNKNOWN.withDescription(response.getCancelReason().isEmpty()
              ? "watch canceled" : response.getCancelReason()).asRuntimeException();
        }
        if (response.getEventsCount() > 0) {
          return response;
        }
      }
    }

    @Override
    public void onNext(WatchResponse response) {
      responses.add(response);
    }

    @Override
    public void onError(Throwable t) {
      failure = t;
      responses.add(ENDED);
    }

    @Override
    public void onCompleted() {
      failure = Status.UNAVAILABLE.withDescription("watch stream ended").asRuntimeException();
      responses.add(ENDED);
    }

    @Override
    public void close() {
      if (failure == null && requests != null) {
        requests.onError(Status.CANCELLED.withDescription("done").asRuntimeException());
      }
    }
  }

  /** The first key after every key starting with {@code prefix}, as etcd's {@code GetPrefixRangeEnd}. */
  static ByteString prefixEnd(ByteString prefix) {
    byte[] end = prefix.toByteArray();
    for (int i = end.length - 1; i >= 0; i--) {
      if (end[i] != (byte) 0xff) {
        end[i]++;
        return ByteString.copyFrom(end, 0, i + 1);
      }
    }
    return ByteString.copyFrom(new byte[] {0});
  }
}
