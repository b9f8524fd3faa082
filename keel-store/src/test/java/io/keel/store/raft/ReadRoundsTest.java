package io.keel.store.raft;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.keel.store.mvcc.MvccException;
import io.keel.store.mvcc.StoreError;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import org.apache.ratis.thirdparty.com.google.protobuf.ByteString;
import org.junit.jupiter.api.Test;

class ReadRoundsTest {
  /** A member whose Raft calls the test answers by hand. */
  private static final class FakeMember implements ReadRounds.Member {
    boolean alone;
    boolean leader = true;
    long term = 3;
    long commit = 10;
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
      assertThat(ReadRounds.isReadIndexRequest(request)).isTrue();
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
  }

  @Test
  void theLeaderConfirmsANewCommitIndexByHeartbeatAndAnUnchangedOneThroughTheLog() {
    var first = rounds.barrier();
    member.ratisRounds.get(0).complete(null);
    assertThat(first).isCompleted();

    var second = rounds.barrier();
    assertThat(member.ratisRounds).as("Ratis would answer from its old confirmation").hasSize(1);
    assertThat(member.appended).hasSize(1);
    assertThat(member.appended.get(0)[0]).isEqualTo(Command.NOOP.tag());
    assertThat(second).isNotDone();
    member.commit = 12;
    marks.applied(ByteString.copyFrom(member.appended.get(0)));
    assertThat(second).isCompleted();

    var third = rounds.barrier();
    assertThat(member.ratisRounds).as("the commit index moved").hasSize(2);
    member.ratisRounds.get(1).complete(null);
    assertThat(third).isCompleted();
  }

  @Test
  void aLeaderThatCannotCommitItsMarkAnswersNoRead() {
    rounds.barrier();
    member.ratisRounds.get(0).complete(null);

    var read = rounds.barrier();
    assertThat(read).isNotDone();
    member.appends.get(0).completeExceptionally(StoreError.LEADER_CHANGED.exception());

    assertThatThrownBy(read::join).isInstanceOf(CompletionException.class)
        .cause().isInstanceOf(MvccException.class).hasMessage("etcdserver: leader changed");
  }

  @Test
  void aHeartbeatRoundThatOutlivesTheTermAnswersNoRead() {
    var read = rounds.barrier();
    member.term = 4;
    member.ratisRounds.get(0).complete(null);

    assertThatThrownBy(read::join).cause().isInstanceOf(MvccException.class)
        .hasMessage("etcdserver: leader changed");
  }

  @Test
  void aFailedHeartbeatRoundStillCountsAsPossiblyConfirmed() {
    var read = rounds.barrier();
    member.ratisRounds.get(0).completeExceptionally(StoreError.TIMEOUT.exception());
    assertThat(read).isCompletedExceptionally();

    rounds.barrier();
    assertThat(member.ratisRounds).hasSize(1);
    assertThat(member.appended).hasSize(1);
  }

  @Test
  void aFollowerWaitsUntilItHasAppliedTheReadIndexTheLeaderConfirmed() {
    member.leader = false;
    var read = rounds.barrier();

    member.askedLeader.get(0).complete(ByteBuffer.allocate(8).putLong(42).array());
    applied.advance(41);
    assertThat(read).isNotDone();
    applied.advance(42);
    assertThat(read).isCompleted();
  }

  @Test
  void theLeaderAnswersAFollowerWithTheIndexItConfirmed() {
    member.commit = 7;
    var answer = rounds.serveFollower();
    member.ratisRounds.get(0).complete(null);

    assertThat(ByteBuffer.wrap(answer.join()).getLong()).isEqualTo(7);
  }
}
