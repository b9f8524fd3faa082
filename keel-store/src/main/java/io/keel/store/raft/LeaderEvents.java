package io.keel.store.raft;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.BiPredicate;
import java.util.function.Supplier;

/**
 * Wakes requests that wait for a leader: each time a leader becomes known or a new leader becomes
 * ready, the current {@link #next()} future completes and a fresh one takes its place.
 *
 * <p>A waiter takes {@link #next()} <em>before</em> it tries, so an event that happens while it
 * tries still wakes it.
 */
public final class LeaderEvents {
  private final AtomicReference<CompletableFuture<Void>> next =
      new AtomicReference<>(new CompletableFuture<>());
  private final Executor executor;

  /** @param executor runs what waited (never the Raft thread that reported the event) */
  public LeaderEvents(Executor executor) {
    this.executor = executor;
  }

  /** Completes at the next leader event. */
  public CompletableFuture<Void> next() {
    return next.get();
  }

  /** Completes at the event {@code event} stands for, or after {@code fallbackMillis} at most. */
  public CompletableFuture<Void> orAfter(CompletableFuture<Void> event, long fallbackMillis) {
    return event.copy().completeOnTimeout(null, fallbackMillis, TimeUnit.MILLISECONDS)
        .thenApplyAsync(v -> v, executor);
  }

  /**
   * Runs {@code attempt}, and while {@code tryAgain} holds for its outcome (result, or failure)
   * runs it again at the next leader event or after {@code fallbackMillis}, {@code tries} times at
   * most; completes with the last outcome.
   */
  public <T> CompletableFuture<T> retry(Supplier<CompletableFuture<T>> attempt,
      BiPredicate<T, Throwable> tryAgain, int tries, long fallbackMillis) {
    CompletableFuture<Void> event = next();
    return attempt.get().handle((result, error) -> tries > 1 && tryAgain.test(result, error)
            ? orAfter(event, fallbackMillis)
                .thenCompose(v -> retry(attempt, tryAgain, tries - 1, fallbackMillis))
            : error == null ? CompletableFuture.completedFuture(result)
                : CompletableFuture.<T>failedFuture(error))
        .thenCompose(outcome -> outcome);
  }

  void fire() {
    next.getAndSet(new CompletableFuture<>()).complete(null);
  }
}
