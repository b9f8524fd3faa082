package io.keel.store.raft;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class LeaderEventsTest {
  private final ExecutorService executor =
      Executors.newSingleThreadExecutor(r -> new Thread(r, "leader-events-test"));
  private final LeaderEvents events = new LeaderEvents(executor);

  @AfterEach
  void stop() {
    executor.shutdownNow();
  }

  @Test
  void anEventDuringTheAttemptWakesTheWaiterThatTookNextBeforeIt() throws Exception {
    CompletableFuture<Void> taken = events.next();
    events.fire();  // while the waiter was still trying

    CompletableFuture<Void> woken = events.orAfter(taken, TimeUnit.HOURS.toMillis(1));

    woken.get(10, TimeUnit.SECONDS);
    assertThat(events.next()).isNotSameAs(taken).isNotDone();
  }

  @Test
  void withoutAnEventTheWaiterWakesAfterTheFallbackAndOthersStillWait() throws Exception {
    CompletableFuture<Void> taken = events.next();

    events.orAfter(taken, 1).get(10, TimeUnit.SECONDS);

    assertThat(taken).isNotDone();
    assertThat(events.next()).isSameAs(taken);
  }

  @Test
  void whatWaitedRunsOnTheExecutorNotOnTheThreadThatFired() throws Exception {
    AtomicReference<String> ranOn = new AtomicReference<>();
    CompletableFuture<Void> woken = events.orAfter(events.next(), TimeUnit.HOURS.toMillis(1))
        .thenRun(() -> ranOn.set(Thread.currentThread().getName()));

    Thread firing = new Thread(events::fire, "raft-thread");
    firing.start();
    firing.join();
    woken.get(10, TimeUnit.SECONDS);

    assertThat(ranOn.get()).isEqualTo("leader-events-test");
  }

  @Test
  void retryTriesAgainWhileAskedAndAtMostTheGivenNumberOfTimes() throws Exception {
    AtomicInteger calls = new AtomicInteger();

    int settled = events.retry(() -> CompletableFuture.completedFuture(calls.incrementAndGet()),
        (n, error) -> n < 3, 10, 1).get(10, TimeUnit.SECONDS);
    int capped = events.retry(() -> CompletableFuture.completedFuture(calls.incrementAndGet()),
        (n, error) -> true, 2, 1).get(10, TimeUnit.SECONDS);

    assertThat(settled).isEqualTo(3);
    assertThat(capped).isEqualTo(5);
    assertThat(calls.get()).isEqualTo(5);
  }
}
