package io.keel.store.raft;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class SnapshotScheduleTest {

  /** The request counts at which the schedule starts a snapshot, up to {@code until}. */
  private static List<Long> starts(SnapshotSchedule schedule, long until) {
    List<Long> out = new ArrayList<>();
    for (long applied = 1; applied <= until; applied++) {
      if (schedule.due(applied)) {
        schedule.started(applied);
        out.add(applied);
      }
    }
    return out;
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
    assertThat(schedule.due(150)).isTrue();
    schedule.started(150);
    assertThat(schedule.due(249)).isFalse();
    assertThat(schedule.due(250)).isTrue();
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
