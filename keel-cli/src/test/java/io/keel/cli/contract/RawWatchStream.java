package io.keel.cli.contract;

import io.etcd.jetcd.api.WatchCancelRequest;
import io.etcd.jetcd.api.WatchCreateRequest;
import io.etcd.jetcd.api.WatchGrpc;
import io.etcd.jetcd.api.WatchProgressRequest;
import io.etcd.jetcd.api.WatchRequest;
import io.etcd.jetcd.api.WatchResponse;
import io.grpc.ManagedChannel;
import io.grpc.stub.StreamObserver;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * One etcd watch stream on etcd's generated stub, without jetcd's retries and bookkeeping, so a
 * test can see exactly which responses the server sends, in order.
 */
final class RawWatchStream implements AutoCloseable {

    private final BlockingQueue<Object> received = new LinkedBlockingQueue<>();
    private final StreamObserver<WatchRequest> requests;

    RawWatchStream(ManagedChannel channel) {
        requests = WatchGrpc.newStub(channel).watch(new StreamObserver<>() {
            @Override
            public void onNext(WatchResponse response) {
                received.add(response);
            }

            @Override
            public void onError(Throwable t) {
                received.add(t);
            }

            @Override
            public void onCompleted() {
                received.add("completed");
            }
        });
    }

    void create(WatchCreateRequest create) {
        send(WatchRequest.newBuilder().setCreateRequest(create).build());
    }

    /** Creates a watch and returns its id once the server confirms it. */
    long createAndAwaitId(WatchCreateRequest create) {
        create(create);
        WatchResponse created = next();
        if (!created.getCreated()) {
            throw new AssertionError("expected a 'created' response, got " + created);
        }
        return created.getWatchId();
    }

    void cancel(long watchId) {
        send(WatchRequest.newBuilder().setCancelRequest(WatchCancelRequest.newBuilder().setWatchId(watchId)).build());
    }

    void requestProgress() {
        send(WatchRequest.newBuilder().setProgressRequest(WatchProgressRequest.getDefaultInstance()).build());
    }

    private synchronized void send(WatchRequest request) {
        requests.onNext(request);
    }

    /** The next response, failing the test if none arrives in time or the stream ends. */
    WatchResponse next() {
        Object item;
        try {
            item = received.poll(WatchRecorder.WAIT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted", e);
        }
        if (item == null) {
            throw new AssertionError("no watch response within " + WatchRecorder.WAIT);
        }
        if (item instanceof WatchResponse response) {
            return response;
        }
        if (item instanceof Throwable t) {
            throw new AssertionError("the watch stream failed: " + Wire.describe(t), t);
        }
        throw new AssertionError("the watch stream ended");
    }

    @Override
    public synchronized void close() {
        try {
            requests.onCompleted();
        } catch (IllegalStateException alreadyClosed) {
            // the server ended the stream first
        }
    }
}
