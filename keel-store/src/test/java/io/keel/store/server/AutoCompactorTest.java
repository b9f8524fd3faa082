package io.keel.store.server;

import static org.assertj.core.api.Assertions.assertThat;

import io.keel.store.lease.MutableClock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class AutoCompactorTest {
  private final MutableClock clock = new MutableClock();
  private final AtomicLong revision = new AtomicLong(1);
  private final AtomicBoolean leader = new AtomicBoolean(true);
  private final List<Long> compactedAt = new ArrayList<>();
  private CompletableFuture<Void> answer = CompletableFuture.completedFuture(null);

  private AutoCompactor compactor(AutoCompaction policy) {
    return new AutoCompactor(policy, clock, revision::get, leader::get, rev -> {
      compactedAt.add(rev);
      return answer;
    });
  }

  /** One tick: time passes by the tick interval, ten writes land, the compactor looks. */
  private void tick(AutoCompactor compactor, AutoCompaction policy) {
    compactor.run();
    clock.advance(policy.tickInterval());
    revision.addAndGet(10);
  }

  @Test
  void periodicWaitsOnePeriodThenCompactsAtTheRevisionOfAPeriodAgoEveryPeriod() {
    AutoCompaction policy = AutoCompaction.periodic(Duration.ofSeconds(10));
    AutoCompactor compactor = compactor(policy);
    assertThat(policy.tickInterval()).isEqualTo(Duration.ofSeconds(1));
    for (int i = 0; i < 10; i++) {
      tick(compactor, policy);
    }
    assertThat(compactedAt).isEmpty();
    tick(compactor, policy);
    assertThat(compactedAt).containsExactly(1L);
    for (int i = 0; i < 10; i++) {
      tick(compactor, policy);
    }
    assertThat(compactedAt).containsExactly(1L, 101L);
  }

  @Test
  void periodicLongerThanAnHourCompactsHourlyAtTheRevisionOfAPeriodAgo() {
    AutoCompaction policy = AutoCompaction.periodic(Duration.ofHours(2));
    AutoCompactor compactor = compactor(policy);
    assertThat(policy.tickInterval()).isEqualTo(Duration.ofMinutes(6));
    for (int i = 0; i <= 20; i++) {
      tick(compactor, policy);
    }
    assertThat(compactedAt).containsExactly(1L);
    for (int i = 0; i < 10; i++) {
      tick(compactor, policy);
    }
    assertThat(compactedAt).as("an hour later, at the revision of two hours before")
        .containsExactly(1L, 101L);
  }

  @Test
  void aFollowerKeepsSamplingButOnlyALeaderCompacts() {
    AutoCompaction policy = AutoCompaction.periodic(Duration.ofSeconds(10));
    AutoCompactor compactor = compactor(policy);
    leader.set(false);
    for (int i = 0; i < 25; i++) {
      tick(compactor, policy);
    }
    assertThat(compactedAt).isEmpty();
    leader.set(true);
    tick(compactor, policy);
    assertThat(compactedAt).as("the revision of ten seconds ago, not the first ever seen")
        .containsExactly(151L);
  }

  @Test
  void aFailedCompactionIsRetriedNextTickAtTheThenOldestSample() {
    AutoCompaction policy = AutoCompaction.periodic(Duration.ofSeconds(10));
    AutoCompactor compactor = compactor(policy);
    answer = CompletableFuture.failedFuture(new IllegalStateException("no leader"));
    for (int i = 0; i <= 10; i++) {
      tick(compactor, policy);
    }
    answer = CompletableFuture.completedFuture(null);
    tick(compactor, policy);
    tick(compactor, policy);
    assertThat(compactedAt).containsExactly(1L, 11L);
  }

  @Test
  void noSecondCompactionStartsWhileOneIsUnanswered() {
    AutoCompaction policy = AutoCompaction.periodic(Duration.ofSeconds(10));
    AutoCompactor compactor = compactor(policy);
    answer = new CompletableFuture<>();
    for (int i = 0; i < 15; i++) {
      tick(compactor, policy);
    }
    assertThat(compactedAt).containsExactly(1L);
  }

  @Test
  void revisionModeKeepsTheLastRevisionsAndCompactsOnlyWhenThatPointMoved() {
    AutoCompaction policy = AutoCompaction.revisions(100);
    AutoCompactor compactor = compactor(policy);
    assertThat(policy.tickInterval()).isEqualTo(Duration.ofMinutes(5));
    revision.set(100);
    compactor.run();
    assertThat(compactedAt).as("nothing older than the last 100 revisions yet").isEmpty();
    revision.set(250);
    compactor.run();
    compactor.run();
    assertThat(compactedAt).containsExactly(150L);
    revision.set(260);
    compactor.run();
    assertThat(compactedAt).containsExactly(150L, 160L);
  }

  @Test
  void revisionModeRetriesAFailedCompaction() {
    AutoCompactor compactor = compactor(AutoCompaction.revisions(100));
    revision.set(250);
    answer = CompletableFuture.failedFuture(new IllegalStateException("timed out"));
    compactor.run();
    answer = CompletableFuture.completedFuture(null);
    compactor.run();
    compactor.run();
    assertThat(compactedAt).containsExactly(150L, 150L);
  }

  @Test
  void zeroRetentionIsOffAndTooShortAPeriodIsRefused() {
    assertThat(AutoCompaction.periodic(Duration.ZERO)).isEqualTo(AutoCompaction.OFF);
    assertThat(AutoCompaction.revisions(0)).isEqualTo(AutoCompaction.OFF);
    org.assertj.core.api.Assertions.assertThatThrownBy(
            () -> AutoCompaction.periodic(Duration.ofMillis(5)))
        .hasMessageContaining("--auto-compaction-retention").hasMessageContaining("too short");
  }
}
