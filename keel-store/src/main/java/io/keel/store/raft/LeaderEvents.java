package io.keel.store.raft;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

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

  void fire() {
    next.getAndSet(new CompletableFuture<>()).complete(null);
  }
}
