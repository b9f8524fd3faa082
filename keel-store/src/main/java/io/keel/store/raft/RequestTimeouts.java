package io.keel.store.raft;

import io.keel.store.mvcc.StoreError;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/** Bounds waits inside the Raft layer the way etcd reports them to clients. */
final class RequestTimeouts {
  private RequestTimeouts() {}

  /**
   * {@code future}, failing with TIMEOUT ({@code etcdserver: request timed out}) if it has not
   * completed within {@code timeout}; any other failure passes on as it is (unwrapped from a
   * {@link CompletionException}).
   */
  static <T> CompletableFuture<T> within(CompletableFuture<T> future, Duration timeout) {
    return future.orTimeout(timeout.toMillis(), TimeUnit.MILLISECONDS)
        .exceptionallyCompose(error -> {
          Throwable cause = error instanceof CompletionException c && c.getCause() != null
              ? c.getCause() : error;
          return CompletableFuture.failedFuture(cause instanceof TimeoutException
              ? StoreError.TIMEOUT.exception() : cause);
        });
  }
}
