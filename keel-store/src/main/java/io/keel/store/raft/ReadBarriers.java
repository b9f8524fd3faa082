package io.keel.store.raft;

import java.util.concurrent.CompletableFuture;
import java.util.function.Supplier;

/**
 * Shares ReadIndex rounds among concurrent linearizable reads, as etcd's read loop does: a read
 * that arrives while no round is in flight starts one; reads that arrive during a round wait for
 * the next one, which starts as soon as the current round ends and serves all of them. A read
 * is only ever released by a round that started after it arrived, so each read sees every write
 * acknowledged before it began.
 */
final class ReadBarriers<T> {
  private final Supplier<CompletableFuture<T>> round;
  private boolean inFlight;
  private CompletableFuture<T> next;

  /** @param round starts one ReadIndex round; completes once this member applied up to it */
  ReadBarriers(Supplier<CompletableFuture<T>> round) {
    this.round = round;
  }

  /** Completes when a round that started after this call has completed (or failed with it). */
  CompletableFuture<T> await() {
    CompletableFuture<T> waiter;
    synchronized (this) {
      if (inFlight) {
        if (next == null) {
          next = new CompletableFuture<>();
        }
        return next;
      }
      inFlight = true;
      waiter = new CompletableFuture<>();
    }
    start(waiter);
    return waiter;
  }

  /** Runs rounds until no read is waiting; loops rather than recursing when rounds end at once. */
  private void start(CompletableFuture<T> firstWaiter) {
    CompletableFuture<T> waiter = firstWaiter;
    while (waiter != null) {
      CompletableFuture<T> started = begin();
      if (!started.isDone()) {
        CompletableFuture<T> pending = waiter;
        started.whenComplete((value, error) -> {
          CompletableFuture<T> following = finish(pending, value, error);
          if (following != null) {
            start(following);
          }
        });
        return;
      }
      waiter = started.isCompletedExceptionally()
          ? finish(waiter, null, started.handle((ignored, error) -> error).join())
          : finish(waiter, started.join(), null);
    }
  }

  private CompletableFuture<T> begin() {
    try {
      return round.get();
    } catch (RuntimeException e) {
      return CompletableFuture.failedFuture(e);
    }
  }

  /** Releases the waiters of the round that ended; returns those of the next round, if any. */
  private CompletableFuture<T> finish(CompletableFuture<T> waiter, T value, Throwable error) {
    CompletableFuture<T> following;
    synchronized (this) {
      following = next;
      next = null;
      inFlight = following != null;
    }
    if (error == null) {
      waiter.complete(value);
    } else {
      waiter.completeExceptionally(error);
    }
    return following;
  }
}
