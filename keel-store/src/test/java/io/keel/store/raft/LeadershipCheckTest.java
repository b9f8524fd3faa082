package io.keel.store.raft;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.keel.store.mvcc.MvccException;
import java.net.ConnectException;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class LeadershipCheckTest {
  private static List<CompletableFuture<Long>> voters(int count) {
    return IntStream.range(0, count).mapToObj(i -> new CompletableFuture<Long>()).toList();
  }

  @Test
  void oneOtherVoterInTheSameTermConfirmsALeaderOfThree() {
    var answers = voters(2);
    var confirmed = LeadershipCheck.confirm(7, answers, 1);

    assertThat(confirmed).isNotDone();
    answers.get(1).complete(7L);
    assertThat(confirmed).isCompleted();
  }

  @Test
  void aLeaderOfFiveNeedsTwoOthersAndAVoterStillInAnEarlierTermDoesNotCount() {
    var answers = voters(4);
    var confirmed = LeadershipCheck.confirm(7, answers, 2);

    answers.get(0).complete(7L);
    answers.get(1).complete(6L);
    assertThat(confirmed).isNotDone();
    answers.get(2).complete(7L);
    assertThat(confirmed).isCompleted();
  }

  @Test
  void aVoterInALaterTermMeansTheLeaderChanged() {
    var answers = voters(2);
    var confirmed = LeadershipCheck.confirm(7, answers, 1);

    answers.get(0).complete(8L);
    answers.get(1).complete(7L);
    assertThatThrownBy(confirmed::join).cause().isInstanceOf(MvccException.class)
        .hasMessage("etcdserver: leader changed");
  }

  @Test
  void tooFewAnswersLeftForAMajorityIsATimeout() {
    var answers = voters(4);
    var confirmed = LeadershipCheck.confirm(7, answers, 2);

    answers.get(0).completeExceptionally(new ConnectException("refused"));
    answers.get(1).complete(7L);
    answers.get(2).complete(6L);
    assertThat(confirmed).as("one voter left could still make it").isNotDone();
    answers.get(3).completeExceptionally(new ConnectException("refused"));
    assertThatThrownBy(confirmed::join).cause().isInstanceOf(MvccException.class)
        .hasMessage("etcdserver: request timed out");
  }

  @Test
  void withNoOneElseToAskTheLeaderAloneIsTheMajority() {
    assertThat(LeadershipCheck.confirm(7, List.of(), 0)).isCompleted();
  }
}
