package io.keel.store.apply;

import static io.keel.store.apply.Requests.assertError;
import static io.keel.store.apply.Requests.delete;
import static io.keel.store.apply.Requests.op;
import static io.keel.store.apply.Requests.put;
import static org.assertj.core.api.Assertions.assertThat;

import io.etcd.jetcd.api.AlarmMember;
import io.etcd.jetcd.api.AlarmRequest;
import io.etcd.jetcd.api.AlarmRequest.AlarmAction;
import io.etcd.jetcd.api.AlarmType;
import io.etcd.jetcd.api.CompactionRequest;
import io.etcd.jetcd.api.LeaseGrantRequest;
import io.etcd.jetcd.api.TxnRequest;
import io.keel.store.lease.Lessor;
import io.keel.store.lease.MutableClock;
import io.keel.store.mvcc.MvccStore;
import io.keel.store.mvcc.StoreError;
import org.junit.jupiter.api.Test;

class ApplierQuotaTest {
  private static final long MEMBER = 11;
  private static final String VALUE = "x".repeat(100);
  private final MvccStore store = new MvccStore();
  private final Alarms alarms = new Alarms(MEMBER);
  private final Applier applier =
      new Applier(store, new Lessor(new MutableClock(), 5), alarms, 1_000);

  private static AlarmRequest alarm(AlarmAction action, long member, AlarmType type) {
    return AlarmRequest.newBuilder().setAction(action).setMemberID(member).setAlarm(type).build();
  }

  /** Puts distinct keys until the quota refuses one; returns how many were written. */
  private int fill() {
    for (int i = 0; ; i++) {
      long before = store.currentRevision();
      long sizeBefore = store.sizeBytes();
      try {
        applier.put(put("k" + i, VALUE));
      } catch (io.keel.store.mvcc.MvccException e) {
        assertThat(e.error()).isEqualTo(StoreError.NO_SPACE);
        assertThat(store.currentRevision()).isEqualTo(before);
        assertThat(store.sizeBytes()).isEqualTo(sizeBefore);
        return i;
      }
      assertThat(i).as("the quota never refused a put").isLessThan(100);
    }
  }

  @Test
  void aPutOverTheQuotaIsRefusedAndRaisesNoSpace() {
    int written = fill();
    assertThat(written).isBetween(2, 8);
    assertThat(store.sizeBytes()).isLessThanOrEqualTo(1_000);
    assertThat(alarms.isActive(AlarmType.NOSPACE)).isTrue();
    assertThat(applier.alarm(alarm(AlarmAction.GET, 0, AlarmType.NONE)).getAlarmsList())
        .containsExactly(AlarmMember.newBuilder().setMemberID(MEMBER)
            .setAlarm(AlarmType.NOSPACE).build());

    // with the alarm raised even a tiny write is refused, and so are puts in txns and grants
    assertError(() -> applier.put(put("t", "")), StoreError.NO_SPACE);
    assertError(() -> applier.txn(TxnRequest.newBuilder().addSuccess(op(put("t", ""))).build()),
        StoreError.NO_SPACE);
    assertError(() -> applier.leaseGrant(LeaseGrantRequest.newBuilder().setID(1).setTTL(10)
        .build()), StoreError.NO_SPACE);
  }

  @Test
  void deletesStillWorkAndDisarmingAfterCompactionLetsWritesThrough() {
    int written = fill();
    long rev = store.currentRevision();
    assertThat(applier.deleteRange(delete("k0")).getDeleted()).isEqualTo(1);
    assertThat(applier.txn(TxnRequest.newBuilder().addSuccess(op(delete("k1"))).build())
        .getSucceeded()).isTrue();
    assertThat(store.currentRevision()).isEqualTo(rev + 2);
    applier.deleteRange(delete("k", "l"));
    assertThat(applier.range(Requests.range("k", "l").build()).getCount()).isZero();

    long before = store.sizeBytes();
    applier.compact(CompactionRequest.newBuilder().setRevision(store.currentRevision()).build());
    assertThat(store.sizeBytes()).isLessThan(before).isZero();

    // still refused: the alarm stays until it is disarmed
    assertError(() -> applier.put(put("again", VALUE)), StoreError.NO_SPACE);
    var disarmed = applier.alarm(alarm(AlarmAction.DEACTIVATE, MEMBER, AlarmType.NOSPACE));
    assertThat(disarmed.getAlarmsList()).hasSize(1);
    assertThat(alarms.isActive(AlarmType.NOSPACE)).isFalse();

    for (int i = 0; i < written; i++) {
      applier.put(put("k" + i, VALUE));
    }
    assertThat(applier.range(Requests.range("k", "l").build()).getCount()).isEqualTo(written);
  }

  @Test
  void alarmActions() {
    assertThat(applier.alarm(alarm(AlarmAction.ACTIVATE, 3, AlarmType.NONE)).getAlarmsList())
        .isEmpty();
    assertThat(alarms.all()).isEmpty();
    assertThat(applier.alarm(alarm(AlarmAction.ACTIVATE, 3, AlarmType.NOSPACE)).getAlarmsList())
        .containsExactly(AlarmMember.newBuilder().setMemberID(3).setAlarm(AlarmType.NOSPACE)
            .build());
    applier.alarm(alarm(AlarmAction.ACTIVATE, 4, AlarmType.NOSPACE));
    applier.alarm(alarm(AlarmAction.ACTIVATE, 4, AlarmType.NOSPACE));
    assertThat(applier.alarm(alarm(AlarmAction.GET, 0, AlarmType.NONE)).getAlarmsList())
        .extracting(AlarmMember::getMemberID).containsExactlyInAnyOrder(3L, 4L);
    assertThat(applier.alarm(alarm(AlarmAction.GET, 0, AlarmType.NOSPACE)).getAlarmsCount())
        .isEqualTo(2);
    // deactivating an alarm that is not raised answers nothing
    assertThat(applier.alarm(alarm(AlarmAction.DEACTIVATE, 5, AlarmType.NOSPACE))
        .getAlarmsList()).isEmpty();
    assertThat(applier.alarm(alarm(AlarmAction.DEACTIVATE, 3, AlarmType.NOSPACE))
        .getAlarmsList()).hasSize(1);
    assertThat(alarms.all()).containsExactly(new Alarms.Alarm(4, AlarmType.NOSPACE));
    assertThat(store.currentRevision()).isEqualTo(1);
  }

  @Test
  void anAlarmTypeJetcdDoesNotKnowIsIgnoredNotThrown() {
    // etcd 3.4's CORRUPT (2) is not in jetcd-grpc's AlarmType: it parses as UNRECOGNIZED
    AlarmRequest corrupt = AlarmRequest.newBuilder().setAction(AlarmAction.ACTIVATE)
        .setMemberID(3).setAlarmValue(2).build();
    assertThat(applier.alarm(corrupt).getAlarmsList()).isEmpty();
    assertThat(alarms.all()).isEmpty();
    assertThat(applier.alarm(corrupt.toBuilder().setAction(AlarmAction.DEACTIVATE).build())
        .getAlarmsList()).isEmpty();
    assertThat(applier.alarm(corrupt.toBuilder().setAction(AlarmAction.GET).build())
        .getAlarmsList()).isEmpty();
  }
}
