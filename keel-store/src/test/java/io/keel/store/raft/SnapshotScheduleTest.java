package io.keel.store.raft;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class SnapshotScheduleTest {

  private static final long REQUEST_BYTES = 300;

  /**
   * The request counts at which the schedule starts a snapshot, up to {@code until}, with
   * requests of {@link #REQUEST_BYTES} each and every snapshot written at once.
   */
  private static List<Long> starts(SnapshotSchedule schedule, long until, long snapshotBytes) {
    List<Long> out = new ArrayList<>();
    for (long applied = 1; applied <= until; applied++) {
      if (schedule.due(applied, applied * REQUEST_BYTES)) {
        schedule.started(applied, applied * REQUEST_BYTES);
        schedule.snapshotIs(snapshotBytes);
        out.add(applied);
      }
    }
    return out;
  }

  private static List<Long> starts(SnapshotSchedule schedule, long until) {
    return starts(schedule, until, 1 << 20);
  }

  @Test
  void aLoneScheduleSnapshotsEveryIntervalFromTheStart() {
    assertThat(starts(SnapshotSchedule.every(100), 350)).containsExactly(100L, 200L, 300L);
  }

  @Test
  void threeMembersTakeTurnsAThirdOfTheIntervalApart() {
    assertThat(starts(SnapshotSchedule.forMember(300, 0, 3), 1000))
        .containsExactly(300L, 600L, 900L);
    assertThat(starts(SnapshotSchedule.forMember(300, 1, 3), 1000))
        .containsExactly(200L, 500L, 800L);
    assertThat(starts(SnapshotSchedule.forMember(300, 2, 3), 1000))
        .containsExactly(100L, 400L, 700L, 1000L);
  }

  @Test
  void aSnapshotStartedLateMovesTheNextOneBack() {
    SnapshotSchedule schedule = SnapshotSchedule.every(100);
    assertThat(schedule.due(150, 0)).isTrue();
    schedule.started(150, 0);
    assertThat(schedule.due(249, 0)).isFalse();
    assertThat(schedule.due(250, 0)).isTrue();
  }

  @Test
  void snapshotsBelowTheLargeSizeKeepToTheRequestCount() {
    long justBelow = SnapshotSchedule.LARGE_SNAPSHOT_BYTES - 1;
    assertThat(starts(SnapshotSchedule.every(100), 350, justBelow))
        .containsExactly(100L, 200L, 300L);
  }

  @Test
  void aLargeSnapshotWaitsForAsManyBytesOfRequestsAsItHolds() {
    long large = 3 * SnapshotSchedule.LARGE_SNAPSHOT_BYTES;
    long requestsPerSnapshot = Math.ceilDiv(large, REQUEST_BYTES);
    assertThat(starts(SnapshotSchedule.every(100), 3 * requestsPerSnapshot, large))
        .containsExactly(100L, 100 + requestsPerSnapshot, 100 + 2 * requestsPerSnapshot);
  }

  @Test
  void aLoadedLargeSnapshotCountsFromTheStart() {
    SnapshotSchedule schedule = SnapshotSchedule.every(100);
    schedule.snapshotIs(SnapshotSchedule.LARGE_SNAPSHOT_BYTES);
    assertThat(schedule.due(1_000, SnapshotSchedule.LARGE_SNAPSHOT_BYTES - 1)).isFalse();
    assertThat(schedule.due(1_000, SnapshotSchedule.LARGE_SNAPSHOT_BYTES)).isTrue();
    assertThat(schedule.due(99, SnapshotSchedule.LARGE_SNAPSHOT_BYTES)).isFalse();
  }

  @Test
  void aTinyIntervalStillSnapshotsAfterOneRequestAtTheEarliest() {
    assertThat(starts(SnapshotSchedule.forMember(1, 2, 3), 3)).containsExactly(1L, 2L, 3L);
  }

  @Test
  void aPositionOutsideTheClusterIsRefused() {
    assertThatThrownBy(() -> SnapshotSchedule.forMember(100, 3, 3))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("3 members");
    assertThatThrownBy(() -> SnapshotSchedule.every(0))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
