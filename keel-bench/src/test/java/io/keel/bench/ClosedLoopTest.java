package io.keel.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class ClosedLoopTest {
  private final ScheduledExecutorService scheduler = Executors.newSingleThreadScheduledExecutor();
  private final ExecutorService workers = Executors.newFixedThreadPool(4);

  @AfterEach
  void stop() {
    scheduler.shutdownNow();
    workers.shutdownNow();
  }

  @Test
  void runsEveryRequestOnceWithAtMostClientsInFlight() throws Exception {
    AtomicInteger inFlight = new AtomicInteger();
    AtomicInteger maxInFlight = new AtomicInteger();
    Set<Long> seen = ConcurrentHashMap.newKeySet();
    ClosedLoop.Op op = (seq, client, done) -> {
      assertThat(seen.add(seq)).isTrue();
      maxInFlight.accumulateAndGet(inFlight.incrementAndGet(), Math::max);
      workers.execute(() -> {
        inFlight.decrementAndGet();
        done.done(null);
      });
    };
    LatencyStats stats = new LatencyStats();
    ClosedLoop.Outcome o = new ClosedLoop(8, 5000, 0, 10, scheduler)
        .run(op, stats, 1, TimeUnit.MINUTES);
    assertThat(o.timedOut()).isFalse();
    assertThat(o.succeeded()).isEqualTo(5000);
    assertThat(o.errors()).isZero();
    assertThat(stats.count()).isEqualTo(5000);
    assertThat(seen).hasSize(5000);
    assertThat(maxInFlight.get()).isBetween(1, 8);
  }

  @Test
  void synchronousCompletionsDoNotOverflowTheStack() throws Exception {
    ClosedLoop.Op op = (seq, client, done) -> done.done(null);
    ClosedLoop.Outcome o = new ClosedLoop(1, 200_000, 0, 10, scheduler)
        .run(op, new LatencyStats(), 1, TimeUnit.MINUTES);
    assertThat(o.succeeded()).isEqualTo(200_000);
  }

  @Test
  void stopsAfterMaxErrorsAndKeepsTheFirst() throws Exception {
    RuntimeException boom = new RuntimeException("boom");
    ClosedLoop.Op op = (seq, client, done) -> done.done(seq == 0 ? boom : new RuntimeException());
    ClosedLoop.Outcome o = new ClosedLoop(1, 1000, 0, 5, scheduler)
        .run(op, new LatencyStats(), 1, TimeUnit.MINUTES);
    assertThat(o.errors()).isEqualTo(5);
    assertThat(o.succeeded()).isZero();
    assertThat(o.firstError()).isSameAs(boom);
  }

  @Test
  void thrownExceptionsCountAsErrors() throws Exception {
    ClosedLoop.Op op = (seq, client, done) -> {
      if (seq % 2 == 0) {
        throw new IllegalStateException("bad request");
      }
      done.done(null);
    };
    ClosedLoop.Outcome o = new ClosedLoop(2, 10, 0, 100, scheduler)
        .run(op, new LatencyStats(), 1, TimeUnit.MINUTES);
    assertThat(o.errors()).isEqualTo(5);
    assertThat(o.succeeded()).isEqualTo(5);
  }

  @Test
  void fewerRequestsThanClients() throws Exception {
    ClosedLoop.Outcome o = new ClosedLoop(100, 3, 0, 10, scheduler)
        .run((seq, client, done) -> done.done(null), new LatencyStats(), 1, TimeUnit.MINUTES);
    assertThat(o.succeeded()).isEqualTo(3);
    assertThat(o.issued()).isEqualTo(3);
  }
}
