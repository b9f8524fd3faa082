package io.keel.store.raft;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.keel.store.mvcc.MvccException;
import io.keel.store.mvcc.StoreError;
import java.time.Duration;
import java.util.concurrent.CompletionException;
import org.apache.ratis.thirdparty.com.google.protobuf.ByteString;
import org.junit.jupiter.api.Test;

class ReadMarksTest {
  private static final Duration LONG = Duration.ofMinutes(1);

  private final ReadMarks marks = new ReadMarks();

  @Test
  void aRoundEndsWhenItsOwnMarkIsApplied() {
    ReadMarks.Mark mark = marks.next(LONG);
    ReadMarks.Mark other = marks.next(LONG);

    marks.applied(ByteString.copyFrom(mark.entry()));

    assertThat(mark.applied()).isCompleted();
    assertThat(other.applied()).isNotDone();
    assertThat(marks.pendingCount()).isOne();
  }

  @Test
  void marksOfOtherMembersAndPlainNoopsEndNoRound() {
    ReadMarks.Mark mark = marks.next(LONG);
    ReadMarks elsewhere = new ReadMarks();

    marks.applied(ByteString.copyFrom(elsewhere.next(LONG).entry()));
    marks.applied(ByteString.copyFrom(new byte[] {Command.NOOP.tag()}));

    assertThat(mark.applied()).isNotDone();
    assertThat(mark.entry()[0]).isEqualTo(Command.NOOP.tag());
  }

  @Test
  void anAbandonedRoundFailsWithTheAppendsError() {
    ReadMarks.Mark mark = marks.next(LONG);

    marks.abandon(mark, StoreError.LEADER_CHANGED.exception());

    assertThatThrownBy(() -> mark.applied().join()).isInstanceOf(CompletionException.class)
        .cause().isInstanceOf(MvccException.class).hasMessage("etcdserver: leader changed");
    assertThat(marks.pendingCount()).isZero();
  }

  @Test
  void aMarkNeverAppliedTimesOutAsARequestTimeout() {
    ReadMarks.Mark mark = marks.next(Duration.ofMillis(1));

    assertThatThrownBy(() -> mark.applied().join()).isInstanceOf(CompletionException.class)
        .cause().isInstanceOf(MvccException.class).hasMessage("etcdserver: request timed out");
    assertThat(marks.pendingCount()).isZero();
  }
}
