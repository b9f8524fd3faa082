package io.keel.store.server;

import static org.assertj.core.api.Assertions.assertThat;

import io.keel.store.apply.Members;
import io.keel.store.lease.MutableClock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;

class RemovalWatchTest {
  private static final long SELF = 3;
  private static final Duration PATIENCE = Duration.ofSeconds(1);

  private final MutableClock clock = new MutableClock();
  private final AtomicBoolean hasLeader = new AtomicBoolean();
  private final AtomicBoolean removed = new AtomicBoolean();
  private final List<String> asked = new ArrayList<>();
  private List<Members.Member> table = List.of(member(1, "http://a"), member(2, "http://b"),
      member(SELF, "http://self"));
  private Map<String, CompletableFuture<Boolean>> answers = Map.of(
      "http://a", CompletableFuture.completedFuture(true),
      "http://b", CompletableFuture.completedFuture(true));

  private final RemovalWatch watch = new RemovalWatch(SELF, hasLeader::get, () -> table,
      (url, id) -> {
        assertThat(id).isEqualTo(SELF);
        asked.add(url);
        return answers.get(url);
      }, clock, PATIENCE, () -> removed.set(true));

  private static Members.Member member(long id, String peerUrl) {
    return new Members.Member(id, "n" + id, List.of(peerUrl), List.of("http://client" + id), false);
  }

  private void leaderlessPastPatience() {
    watch.run();
    clock.advance(PATIENCE);
    watch.run();
  }

  @Test
  void asksNoOneWhileThereIsALeader() {
    hasLeader.set(true);
    watch.run();
    clock.advance(PATIENCE.multipliedBy(10));
    watch.run();
    assertThat(asked).isEmpty();
  }

  @Test
  void asksTheOtherListedMembersOnlyAfterAnElectionTimeoutWithoutALeader() {
    watch.run();
    clock.advance(PATIENCE.minusMillis(1));
    watch.run();
    assertThat(asked).isEmpty();
    clock.advance(Duration.ofMillis(1));
    watch.run();
    assertThat(asked).containsExactlyInAnyOrder("http://a", "http://b");
    assertThat(removed).isFalse();
  }

  @Test
  void oneMemberThatNoLongerListsItSettlesIt() {
    answers = Map.of("http://a", CompletableFuture.failedFuture(new IllegalStateException("down")),
        "http://b", CompletableFuture.completedFuture(false));
    leaderlessPastPatience();
    assertThat(removed).isTrue();
  }

  @Test
  void unansweredQuestionsSettleNothingAndAreAskedAgain() {
    answers = Map.of("http://a", CompletableFuture.failedFuture(new IllegalStateException("down")),
        "http://b", CompletableFuture.failedFuture(new IllegalStateException("no leader")));
    leaderlessPastPatience();
    watch.run();
    assertThat(removed).isFalse();
    assertThat(asked).hasSize(4);
  }

  @Test
  void doesNotAskAgainWhileAnAnswerIsOutstanding() {
    CompletableFuture<Boolean> slow = new CompletableFuture<>();
    answers = Map.of("http://a", slow, "http://b", CompletableFuture.completedFuture(true));
    leaderlessPastPatience();
    watch.run();
    assertThat(asked).hasSize(2);
    slow.complete(false);
    assertThat(removed).isTrue();
  }

  @Test
  void aLeaderRestartsThePatience() {
    watch.run();
    clock.advance(PATIENCE.minusMillis(1));
    hasLeader.set(true);
    watch.run();
    hasLeader.set(false);
    watch.run();
    clock.advance(Duration.ofMillis(1));
    watch.run();
    assertThat(asked).isEmpty();
  }

  @Test
  void aMemberWithAnEmptyListAsksNoOne() {
    table = List.of();
    leaderlessPastPatience();
    assertThat(asked).isEmpty();
    assertThat(removed).isFalse();
  }
}
