package io.keel.store.raft;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.keel.store.mvcc.MvccException;
import io.keel.store.mvcc.StoreError;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import org.apache.ratis.thirdparty.com.google.protobuf.ByteString;
import org.junit.jupiter.api.Test;

class ReadRoundsTest {
  /** A member whose Raft calls the test answers by hand. */
  private static final class FakeMember implements ReadRounds.Member {
    boolean alone;
    boolean leader = true;
    boolean ready = true;
    long term = 3;
    long commit = 10;
    /** How many of the last entries up to any index are Ratis metadata entries. */
    long metadataTail;
    long configurationIndex = 1;
    List<String> others = List.of("b", "c");
    final Map<String, List<CompletableFuture<Long>>> asked = new HashMap<>();
    final List<CompletableFuture<Void>> ratisRounds = new ArrayList<>();
    final List<byte[]> appended = new ArrayList<>();
    final List<CompletableFuture<Void>> appends = new ArrayList<>();
    final List<CompletableFuture<byte[]>> askedLeader = new ArrayList<>();

    @Override
    public boolean alone() {
      return alone;
    }

    @Override
    public boolean isLeader() {
      return leader;
    }

    @Override
    public long term() {
      return term;
    }

    @Override
    public long commitIndex() {
      return commit;
    }

    @Override
    public long lastStateChange(long index) {
      return index - metadataTail;
    }

    @Override
    public String selfId() {
      return "a";
    }

    @Override
    public Optional<ReadRounds.Leadership> leadership() {
      return leader && ready
          ? Optional.of(new ReadRounds.Leadership(term, commit, configurationIndex, others))
          : Optional.empty();
    }

    @Override
    public CompletableFuture<Long> termOf(String voter) {
      CompletableFuture<Long> answer = new CompletableFuture<>();
      asked.computeIfAbsent(voter, v -> new ArrayList<>()).add(answer);
      return answer;
    }

    CompletableFuture<Long> lastAsked(String voter) {
      List<CompletableFuture<Long>> answers = asked.get(voter);
      return answers.get(answers.size() - 1);
    }

    @Override
    public CompletableFuture<Void> ratisReadIndex() {
      CompletableFuture<Void> round = new CompletableFuture<>();
      ratisRounds.add(round);
      return round;
    }

    @Override
    public CompletableFuture<Void> appendLocal(byte[] entry) {
      appended.add(entry);
      CompletableFuture<Void> append = new CompletableFuture<>();
      appends.add(append);
      return append;
    }

    @Override
    public CompletableFuture<byte[]> askLeader(byte[] request) {
      assertThat(request).isEqualTo(requestFrom("a"));
      CompletableFuture<byte[]> answer = new CompletableFuture<>();
      askedLeader.add(answer);
      return answer;
    }
  }

  private final FakeMember member = new FakeMember();
  private final ReadMarks marks = new ReadMarks();
  private final AppliedWaiters applied = new AppliedWaiters();
  private final ReadRounds rounds = new ReadRounds(member, marks, applied, Duration.ofMinutes(1));

  @Test
  void aLoneVoterAsksRatis() {
    member.alone = true;
    var read = rounds.barrier();

    assertThat(member.ratisRounds).hasSize(1);
    member.ratisRounds.get(0).complete(null);
    assertThat(read).isCompleted();
    assertThat(member.appended).isEmpty();
    assertThat(member.asked).isEmpty();
  }

  @Test
  void theLeaderAsksEveryOtherVoterEachRoundAndWaitsToApplyItsCommitIndex() {
    applied.advance(9);
    var first = rounds.barrier();
    assertThat(member.asked).containsOnlyKeys("b", "c");

    member.lastAsked("c").complete(3L);
    assertThat(first).as("confirmed, but index 10 is not applied yet").isNotDone();
    applied.advance(10);
    assertThat(first).isCompleted();

    var second = rounds.barrier();
    assertThat(member.asked.get("c")).as("an earlier confirmation is never reused").hasSize(2);
    assertThat(second).isNotDone();
    member.lastAsked("c").complete(3L);
    assertThat(second).isCompleted();
    assertThat(member.appended).isEmpty();
    assertThat(member.ratisRounds).isEmpty();
  }

  @Test
  void aVoterThatHasNotAnsweredIsAskedAgainOnlyAfterItAnswers() {
    applied.advance(10);
    var first = rounds.barrier();
    member.lastAsked("c").complete(3L);
    assertThat(first).isCompleted();

    var second = rounds.barrier();
    var third = rounds.barrier();
    assertThat(member.asked.get("b")).as("b still has the first question").hasSize(1);
    assertThat(member.asked.get("c")).hasSize(2);
    member.lastAsked("c").complete(3L);
    assertThat(second).isCompleted();
    assertThat(member.asked.get("c")).as("the third round's question").hasSize(3);

    member.asked.get("b").get(0).complete(3L);
    assertThat(member.asked.get("b")).as("asked anew for the waiting round").hasSize(2);
    member.lastAsked("b").complete(3L);
    assertThat(third).isCompleted();
  }

  @Test
  void aVoterInALaterTermEndsTheRoundAsALeaderChange() {
    var read = rounds.barrier();
    member.lastAsked("b").complete(4L);

    assertThatThrownBy(read::join).cause().isInstanceOf(MvccException.class)
        .hasMessage("etcdserver: leader changed");
  }

  @Test
  void aLeaderThatNoVoterAnswersAnswersNoRead() {
    var read = rounds.barrier();
    member.lastAsked("b").completeExceptionally(StoreError.NO_LEADER.exception());
    member.lastAsked("c").completeExceptionally(StoreError.NO_LEADER.exception());

    assertThatThrownBy(read::join).cause().isInstanceOf(MvccException.class)
        .hasMessage("etcdserver: request timed out");
  }

  @Test
  void aConfirmationThatOutlivesTheTermAnswersNoRead() {
    applied.advance(10);
    var read = rounds.barrier();
    member.term = 4;
    member.lastAsked("b").complete(3L);

    assertThatThrownBy(read::join).cause().isInstanceOf(MvccException.class)
        .hasMessage("etcdserver: leader changed");
  }

  @Test
  void aLeaderNotReadyYetGoesThroughTheLog() {
    member.ready = false;
    var read = rounds.barrier();

    assertThat(member.asked).isEmpty();
    assertThat(member.appended).hasSize(1);
    assertThat(member.appended.get(0)[0]).isEqualTo(Command.NOOP.tag());
    marks.applied(ByteString.copyFrom(member.appended.get(0)));
    assertThat(read).isCompleted();
  }

  @Test
  void aConfigurationChangeDuringTheRoundSendsItThroughTheLog() {
    applied.advance(10);
    var read = rounds.barrier();
    member.configurationIndex = 2;
    member.lastAsked("b").complete(3L);

    assertThat(read).isNotDone();
    assertThat(member.appended).hasSize(1);
    marks.applied(ByteString.copyFrom(member.appended.get(0)));
    assertThat(read).isCompleted();
  }

  @Test
  void aLeaderThatCannotCommitItsMarkAnswersNoRead() {
    member.ready = false;
    var read = rounds.barrier();
    member.appends.get(0).completeExceptionally(
        new CompletionException(StoreError.LEADER_CHANGED.exception()));

    assertThatThrownBy(read::join).isInstanceOf(CompletionException.class)
        .cause().isInstanceOf(MvccException.class).hasMessage("etcdserver: leader changed");
  }

  private static byte[] answer(long followerTerm, long index) {
    return ByteBuffer.allocate(16).putLong(followerTerm).putLong(index).array();
  }

  private static long answeredIndex(byte[] answer) {
    return ByteBuffer.wrap(answer).getLong(8);
  }

  private static long answeredTerm(byte[] answer) {
    return ByteBuffer.wrap(answer).getLong(0);
  }

  private static byte[] requestFrom(String follower) {
    byte[] id = follower.getBytes(java.nio.charset.StandardCharsets.UTF_8);
    byte[] request = new byte[1 + id.length];
    request[0] = Command.READ_INDEX.tag();
    System.arraycopy(id, 0, request, 1, id.length);
    return request;
  }

  @Test
  void aFollowerWaitsUntilItHasAppliedTheReadIndexTheLeaderConfirmed() {
    member.leader = false;
    var read = rounds.barrier();

    member.askedLeader.get(0).complete(answer(3, 42));
    applied.advance(41);
    assertThat(read).isNotDone();
    applied.advance(42);
    assertThat(read).isCompleted();
  }

  @Test
  void aFollowerNoLongerInTheLeadersTermAnswersNoRead() {
    member.leader = false;
    member.term = 4;
    applied.advance(50);
    var read = rounds.barrier();

    member.askedLeader.get(0).complete(answer(3, 42));
    assertThatThrownBy(read::join).cause().isInstanceOf(MvccException.class)
        .hasMessage("etcdserver: leader changed");
  }

  @Test
  void aFollowerUsesAnIndexTheLeaderConfirmedAloneInAnyTerm() {
    member.leader = false;
    member.term = 9;
    applied.advance(50);
    var read = rounds.barrier();

    member.askedLeader.get(0).complete(answer(0, 42));
    assertThat(read).isCompleted();
  }

  @Test
  void aRoundAskingTheLeaderWhenThisMemberBecomesLeaderIsAnsweredByARoundOfItsOwn() {
    member.leader = false;
    member.commit = 7;
    applied.advance(7);
    var read = rounds.barrier();
    assertThat(member.askedLeader).hasSize(1);

    member.leader = true;
    var servedToItself = rounds.serveFollower(requestFrom("a"));
    member.lastAsked("b").complete(3L);
    assertThat(servedToItself).as("not queued behind the round that asked").isCompleted();

    member.askedLeader.get(0).complete(servedToItself.join());
    assertThat(read).isCompleted();
  }

  @Test
  void aRoundThatNeverEndsFailsAfterTheTimeoutAndTheNextReadStartsAFreshOne() {
    var quick = new ReadRounds(member, marks, applied, Duration.ofMillis(50));
    member.leader = false;
    var stuck = quick.barrier();

    assertThatThrownBy(stuck::join).cause().isInstanceOf(MvccException.class)
        .hasMessage("etcdserver: request timed out");
    quick.barrier();
    assertThat(member.askedLeader).as("a new round").hasSize(2);
  }

  @Test
  void aLeaderOfThreeAnswersAVoterAtOnceWithItsTermAndCommitIndex() {
    member.commit = 7;
    var answer = rounds.serveFollower(requestFrom("b"));

    assertThat(answer).isCompleted();
    assertThat(answeredTerm(answer.join())).isEqualTo(3);
    assertThat(answeredIndex(answer.join())).isEqualTo(7);
    assertThat(member.asked).as("the asking voter completes the majority").isEmpty();
  }

  @Test
  void aLeaderOfFiveConfirmsItselfBeforeAnsweringAFollower() {
    member.others = List.of("b", "c", "d", "e");
    member.commit = 7;
    applied.advance(7);
    var answer = rounds.serveFollower(requestFrom("b"));

    assertThat(answer).isNotDone();
    member.lastAsked("c").complete(3L);
    member.lastAsked("d").complete(3L);
    assertThat(answeredTerm(answer.join())).as("any term").isZero();
    assertThat(answeredIndex(answer.join())).isEqualTo(7);
  }

  @Test
  void aLeaderConfirmsItselfBeforeAnsweringAMemberThatIsNotAVoter() {
    member.commit = 7;
    applied.advance(7);
    var answer = rounds.serveFollower(requestFrom("learner"));

    assertThat(answer).isNotDone();
    member.lastAsked("c").complete(3L);
    assertThat(answeredTerm(answer.join())).isZero();
    assertThat(answeredIndex(answer.join())).isEqualTo(7);
  }

  @Test
  void aLeaderAnswersAVoterWithItsLastStateChangeNotTheMetadataEntryAfterIt() {
    member.commit = 8;
    member.metadataTail = 1;
    var answer = rounds.serveFollower(requestFrom("b"));

    assertThat(answeredIndex(answer.join()))
        .as("entry 8 only records that 7 committed; the follower learns 8's commit a heartbeat later")
        .isEqualTo(7);
  }

  @Test
  void aRoundForAFollowerAlsoAnswersTheLastStateChange() {
    member.others = List.of("b", "c", "d", "e");
    member.commit = 8;
    member.metadataTail = 1;
    applied.advance(8);
    var answer = rounds.serveFollower(requestFrom("b"));

    member.lastAsked("c").complete(3L);
    member.lastAsked("d").complete(3L);
    assertThat(answeredIndex(answer.join())).isEqualTo(7);
  }
}
