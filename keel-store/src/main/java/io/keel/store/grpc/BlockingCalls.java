package io.keel.store.grpc;

import io.grpc.Context;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.stub.StreamObserver;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * Runs a call written as blocking code (etcd's {@code concurrency} recipes wait on watches) on a
 * virtual thread of its own, in the call's gRPC context. As etcd's in-process client does, it
 * answers a failure of the calls it made with UNKNOWN and their message.
 */
final class BlockingCalls {
  private static final ExecutorService THREADS = Executors.newThreadPerTaskExecutor(
      Thread.ofVirtual().name("keel-concurrency-", 0).factory());

  private BlockingCalls() {}

  static <T> void answer(StreamObserver<T> observer, Supplier<T> call) {
    stream(observer, responses -> responses.onNext(call.get()));
  }

  /** As {@link #answer}, for a call that sends any number of responses, then completes. */
  static <T> void stream(StreamObserver<T> observer, Consumer<StreamObserver<T>> call) {
    THREADS.execute(Context.current().wrap(() -> {
      try {
        call.accept(observer);
      } catch (StatusRuntimeException e) {
        observer.onError(e.getStatus().getCode() == Status.Code.CANCELLED ? e
            : Status.UNKNOWN.withDescription(e.getStatus().getDescription()).asRuntimeException());
        return;
      } catch (RuntimeException e) {
        observer.onError(Status.UNKNOWN.withDescription(e.getMessage()).asRuntimeException());
        return;
      }
      observer.onCompleted();
    }));
  }

  /** Runs {@code cleanup} outside the caller's context, so a client that went away does not stop it. */
  static void detached(Runnable cleanup) {
    try {
      Context.ROOT.call(() -> {
        cleanup.run();
        return null;
      });
    } catch (Exception ignored) {
      // best effort, as etcd's: a session lease that expires removes the key anyway
    }
  }
}
