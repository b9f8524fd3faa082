package io.keel.store.raft;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class CatchUpWatchTest {
  private final CatchUpWatch watch = new CatchUpWatch(3);

  @Test
  void aFollowerThatStaysBelowTheLeadersCommitForThreePeriodsGetsANoOpOnce() {
    assertThat(watch.observe(145, 146)).isFalse();  // first sight: nothing to compare with
    assertThat(watch.observe(145, 146)).isFalse();
    assertThat(watch.observe(145, 146)).isFalse();
    assertThat(watch.observe(145, 146)).isTrue();
    assertThat(watch.observe(145, 146)).isFalse();  // and then waits three periods again
  }

  @Test
  void aFollowerThatIsCatchingUpIsLeftAlone() {
    for (long last = 100; last < 140; last += 5) {
      assertThat(watch.observe(last, 146)).isFalse();
    }
  }

  @Test
  void aFollowerThatHoldsEverythingCommittedIsLeftAlone() {
    for (int i = 0; i < 10; i++) {
      assertThat(watch.observe(146, 146)).isFalse();
    }
  }

  @Test
  void noAnsweringFollowerNeverAsks() {
    for (int i = 0; i < 10; i++) {
      assertThat(watch.observe(Long.MAX_VALUE, 146)).isFalse();
    }
  }

  @Test
  void progressStartsTheCountAgain() {
    watch.observe(145, 150);
    watch.observe(145, 150);
    watch.observe(145, 150);
    assertThat(watch.observe(146, 150)).isFalse();
    assertThat(watch.observe(146, 150)).isFalse();
    assertThat(watch.observe(146, 150)).isFalse();
    assertThat(watch.observe(146, 150)).isTrue();
  }

  @Test
  void periodsMustBePositive() {
    assertThatThrownBy(() -> new CatchUpWatch(0)).hasMessageContaining("at least 1");
  }
}
