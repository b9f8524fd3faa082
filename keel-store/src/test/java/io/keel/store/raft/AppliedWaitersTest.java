package io.keel.store.raft;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.keel.store.mvcc.MvccException;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class AppliedWaitersTest {
  private static final Duration LONG = Duration.ofMinutes(1);

  private final AppliedWaiters waiters = new AppliedWaiters();

  @Test
  void aWaiterCompletesOnceItsIndexIsAppliedAndNotBefore() {
    var at5 = waiters.await(5, LONG);
    var at9 = waiters.await(9, LONG);

    waiters.advance(4);
    assertThat(at5).isNotDone();
    waiters.advance(7);
    assertThat(at5).isCompleted();
    assertThat(at9).isNotDone();
    assertThat(waiters.waitingCount()).isOne();
  }

  @Test
  void anIndexAlreadyAppliedIsNoWait() {
    waiters.advance(10);

    assertThat(waiters.await(10, LONG)).isCompleted();
    assertThat(waiters.await(3, LONG)).isCompleted();
    waiters.advance(8);
    assertThat(waiters.await(10, LONG)).as("applied never goes back").isCompleted();
  }

  @Test
  void aWaiterTimesOutAsARequestTimeoutAndIsForgotten() {
    var never = waiters.await(100, Duration.ofMillis(1));

    assertThatThrownBy(never::join).cause().isInstanceOf(MvccException.class)
        .hasMessage("etcdserver: request timed out");
    assertThat(waiters.waitingCount()).isZero();
  }
}
