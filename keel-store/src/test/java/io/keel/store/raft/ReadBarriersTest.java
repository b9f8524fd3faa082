package io.keel.store.raft;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.keel.store.mvcc.StoreError;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class ReadBarriersTest {
  /** ReadIndex rounds the test ends by hand. */
  private final List<CompletableFuture<Void>> rounds = new ArrayList<>();
  private final ReadBarriers<Void> barriers = new ReadBarriers<Void>(() -> {
    CompletableFuture<Void> round = new CompletableFuture<>();
    rounds.add(round);
    return round;
  });

  @Test
  void aLoneReadStartsARoundAtOnce() {
    var read = barriers.await();

    assertThat(rounds).hasSize(1);
    assertThat(read).isNotDone();
    rounds.get(0).complete(null);
    assertThat(read).isCompleted();
  }

  @Test
  void readsArrivingDuringARoundShareTheNextOne() {
    var first = barriers.await();
    var second = barriers.await();
    var third = barriers.await();

    assertThat(rounds).hasSize(1);
    rounds.get(0).complete(null);

    assertThat(first).isCompleted();
    assertThat(second).as("began after round 1 started").isNotDone();
    assertThat(third).isNotDone();
    assertThat(rounds).as("the next round starts when the first ends").hasSize(2);
    rounds.get(1).complete(null);
    assertThat(second).isCompleted();
    assertThat(third).isCompleted();
    assertThat(rounds).as("nobody waits, so no third round").hasSize(2);
  }

  @Test
  void aReadIsNeverReleasedByARoundThatStartedBeforeIt() {
    barriers.await();
    rounds.get(0).complete(null);
    var late = barriers.await();

    assertThat(rounds).hasSize(2);
    assertThat(late).isNotDone();
    rounds.get(1).complete(null);
    assertThat(late).isCompleted();
  }

  @Test
  void aFailedRoundFailsItsReadsAndTheNextRoundStillRuns() {
    var failed = barriers.await();
    var waiting = barriers.await();

    rounds.get(0).completeExceptionally(StoreError.NO_LEADER.exception());

    assertThatThrownBy(failed::join).isInstanceOf(CompletionException.class)
        .hasMessageContaining("no leader");
    assertThat(waiting).isNotDone();
    rounds.get(1).complete(null);
    assertThat(waiting).isCompleted();
  }

  @Test
  void aRoundSupplierThatThrowsFailsTheReadWithoutWedgingLaterOnes() {
    AtomicInteger calls = new AtomicInteger();
    var flaky = new ReadBarriers<Void>(() -> {
      if (calls.incrementAndGet() == 1) {
        throw StoreError.STOPPED.exception();
      }
      return CompletableFuture.completedFuture(null);
    });

    assertThatThrownBy(flaky.await()::join).isInstanceOf(CompletionException.class);
    assertThat(flaky.await()).isCompleted();
  }

  @Test
  void roundsThatEndAtOnceServeManyConcurrentReadersWithoutLosingAny() throws Exception {
    AtomicInteger started = new AtomicInteger();
    var immediate = new ReadBarriers<Void>(() -> {
      started.incrementAndGet();
      return CompletableFuture.completedFuture(null);
    });
    int readers = 8;
    int readsEach = 20_000;
    ExecutorService pool = Executors.newFixedThreadPool(readers);
    CountDownLatch go = new CountDownLatch(1);
    List<CompletableFuture<Void>> all = java.util.Collections.synchronizedList(new ArrayList<>());
    try {
      for (int r = 0; r < readers; r++) {
        pool.execute(() -> {
          try {
            go.await();
          } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
          }
          for (int i = 0; i < readsEach; i++) {
            all.add(immediate.await());
          }
        });
      }
      go.countDown();
      pool.shutdown();
      assertThat(pool.awaitTermination(60, TimeUnit.SECONDS)).isTrue();
    } finally {
      pool.shutdownNow();
    }

    assertThat(all).hasSize(readers * readsEach).allMatch(CompletableFuture::isDone);
    assertThat(started.get()).isBetween(1, readers * readsEach);
  }
}
