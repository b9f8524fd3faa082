package io.keel.store.apply;

import static io.keel.store.apply.Requests.assertError;
import static io.keel.store.apply.Requests.bs;
import static io.keel.store.apply.Requests.delete;
import static io.keel.store.apply.Requests.get;
import static io.keel.store.apply.Requests.put;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import io.etcd.jetcd.api.CompactionRequest;
import io.etcd.jetcd.api.DeleteRangeRequest;
import io.etcd.jetcd.api.DeleteRangeResponse;
import io.etcd.jetcd.api.KeyValue;
import io.etcd.jetcd.api.LeaseGrantRequest;
import io.etcd.jetcd.api.LeaseGrantResponse;
import io.etcd.jetcd.api.LeaseRevokeRequest;
import io.etcd.jetcd.api.PutRequest;
import io.etcd.jetcd.api.PutResponse;
import io.keel.store.lease.Lessor;
import io.keel.store.lease.MutableClock;
import io.keel.store.mvcc.Bytes;
import io.keel.store.mvcc.Event;
import io.keel.store.mvcc.MvccStore;
import io.keel.store.mvcc.StoreError;
import org.junit.jupiter.api.Test;

class ApplierWriteTest {
  private final MutableClock clock = new MutableClock();
  private final MvccStore store = new MvccStore();
  private final Lessor lessor = new Lessor(clock, 5);
  private final Applier applier = new Applier(store, lessor, new Alarms(1), Long.MAX_VALUE);

  private KeyValue kv(String key) {
    var kvs = applier.range(get(key)).getKvsList();
    return kvs.isEmpty() ? null : kvs.get(0);
  }

  private void grant(long id, long ttl) {
    applier.leaseGrant(LeaseGrantRequest.newBuilder().setID(id).setTTL(ttl).build());
  }

  private static PutRequest.Builder putB(String key) {
    return PutRequest.newBuilder().setKey(bs(key));
  }

  @Test
  void putReturnsTheNewRevisionAndPrevKvOnRequest() {
    PutResponse first = applier.put(putB("k").setValue(bs("v1")).setPrevKv(true).build());
    assertThat(first.getHeader().getRevision()).isEqualTo(2);
    assertThat(first.hasPrevKv()).isFalse();

    PutResponse second = applier.put(putB("k").setValue(bs("v2")).setPrevKv(true).build());
    assertThat(second.getHeader().getRevision()).isEqualTo(3);
    assertThat(second.getPrevKv()).isEqualTo(KeyValue.newBuilder().setKey(bs("k"))
        .setValue(bs("v1")).setCreateRevision(2).setModRevision(2).setVersion(1).build());

    PutResponse third = applier.put(put("k", "v3"));
    assertThat(third.hasPrevKv()).isFalse();
    assertThat(kv("k").getVersion()).isEqualTo(3);
    assertThat(kv("k").getCreateRevision()).isEqualTo(2);
  }

  @Test
  void ignoreValueKeepsTheValue() {
    grant(7, 10);
    applier.put(put("k", "value"));
    applier.put(putB("k").setIgnoreValue(true).setLease(7).build());
    assertThat(kv("k").getValue()).isEqualTo(bs("value"));
    assertThat(kv("k").getLease()).isEqualTo(7);
    assertThat(kv("k").getVersion()).isEqualTo(2);

    assertError(() -> applier.put(putB("missing").setIgnoreValue(true).build()),
        StoreError.KEY_NOT_FOUND);
    assertThat(store.currentRevision()).isEqualTo(3);
  }

  @Test
  void ignoreLeaseKeepsTheLease() {
    grant(7, 10);
    applier.put(put("k", "v1", 7));
    applier.put(putB("k").setValue(bs("v2")).setIgnoreLease(true).build());
    assertThat(kv("k").getValue()).isEqualTo(bs("v2"));
    assertThat(kv("k").getLease()).isEqualTo(7);
    assertThat(lessor.lookup(7).orElseThrow().keys()).containsExactly(Bytes.of("k"));

    assertError(() -> applier.put(putB("missing").setValue(bs("x")).setIgnoreLease(true).build()),
        StoreError.KEY_NOT_FOUND);
    applier.put(put("gone", "x"));
    applier.deleteRange(delete("gone"));
    long rev = store.currentRevision();
    assertError(() -> applier.put(putB("gone").setValue(bs("x")).setIgnoreLease(true).build()),
        StoreError.KEY_NOT_FOUND);
    assertThat(store.currentRevision()).isEqualTo(rev);
  }

  @Test
  void putWithUnknownLeaseIsRefused() {
    assertError(() -> applier.put(put("k", "v", 42)), StoreError.LEASE_NOT_FOUND);
    assertThat(store.currentRevision()).isEqualTo(1);
    assertThat(kv("k")).isNull();
  }

  @Test
  void puttingWithAnotherLeaseMovesTheKey() {
    grant(1, 10);
    grant(2, 10);
    applier.put(put("k", "v", 1));
    assertThat(lessor.lookup(1).orElseThrow().keys()).containsExactly(Bytes.of("k"));
    applier.put(put("k", "v", 2));
    assertThat(lessor.lookup(1).orElseThrow().keys()).isEmpty();
    assertThat(lessor.lookup(2).orElseThrow().keys()).containsExactly(Bytes.of("k"));
    assertThat(kv("k").getLease()).isEqualTo(2);
    applier.put(put("k", "v"));
    assertThat(lessor.lookup(2).orElseThrow().keys()).isEmpty();
    assertThat(kv("k").getLease()).isZero();

    // revoking the old leases no longer touches the key
    long rev = store.currentRevision();
    applier.leaseRevoke(LeaseRevokeRequest.newBuilder().setID(1).build());
    applier.leaseRevoke(LeaseRevokeRequest.newBuilder().setID(2).build());
    assertThat(store.currentRevision()).isEqualTo(rev);
    assertThat(kv("k")).isNotNull();
  }

  @Test
  void deleteRangeWithPrevKv() {
    grant(3, 10);
    applier.put(put("a", "1"));
    applier.put(put("b", "2", 3));
    applier.put(put("c", "3"));
    DeleteRangeResponse r = applier.deleteRange(DeleteRangeRequest.newBuilder()
        .setKey(bs("a")).setRangeEnd(bs("c")).setPrevKv(true).build());
    assertThat(r.getDeleted()).isEqualTo(2);
    assertThat(r.getHeader().getRevision()).isEqualTo(5);
    assertThat(r.getPrevKvsList()).extracting(kv -> kv.getKey().toStringUtf8(),
        kv -> kv.getValue().toStringUtf8(), KeyValue::getLease, KeyValue::getModRevision)
        .containsExactly(tuple("a", "1", 0L, 2L), tuple("b", "2", 3L, 3L));
    assertThat(lessor.lookup(3).orElseThrow().keys()).isEmpty();

    DeleteRangeResponse plain = applier.deleteRange(delete("c"));
    assertThat(plain.getDeleted()).isEqualTo(1);
    assertThat(plain.getPrevKvsList()).isEmpty();
    assertThat(plain.getHeader().getRevision()).isEqualTo(6);
  }

  @Test
  void deletingNothingDoesNotBumpTheRevision() {
    applier.put(put("a", "1"));
    DeleteRangeResponse r = applier.deleteRange(delete("b", "\0"));
    assertThat(r.getDeleted()).isZero();
    assertThat(r.getHeader().getRevision()).isEqualTo(2);
    assertThat(store.currentRevision()).isEqualTo(2);
    DeleteRangeResponse all = applier.deleteRange(delete("\0", "\0"));
    assertThat(all.getDeleted()).isEqualTo(1);
    assertThat(store.currentRevision()).isEqualTo(3);
  }

  @Test
  void leaseGrant() {
    LeaseGrantResponse r =
        applier.leaseGrant(LeaseGrantRequest.newBuilder().setID(9).setTTL(2).build());
    assertThat(r.getID()).isEqualTo(9);
    assertThat(r.getTTL()).isEqualTo(5);
    assertThat(r.getHeader().getRevision()).isEqualTo(1);
    assertThat(store.currentRevision()).isEqualTo(1);
    assertError(() -> grant(9, 10), StoreError.LEASE_EXISTS);
    assertError(() -> grant(10, Lessor.MAX_TTL_SECONDS + 1), StoreError.LEASE_TTL_TOO_LARGE);
  }

  @Test
  void revokeDeletesEveryAttachedKeyInOneRevision() {
    grant(1, 10);
    grant(2, 10);
    applier.put(put("c", "x", 1));
    applier.put(put("a", "x", 1));
    applier.put(put("b", "x", 1));
    applier.put(put("other", "x", 2));
    long before = store.currentRevision();
    var r = applier.leaseRevoke(LeaseRevokeRequest.newBuilder().setID(1).build());
    assertThat(store.currentRevision()).isEqualTo(before + 1);
    assertThat(r.getHeader().getRevision()).isEqualTo(before + 1);
    assertThat(lessor.exists(1)).isFalse();
    assertThat(kv("a")).isNull();
    assertThat(kv("b")).isNull();
    assertThat(kv("c")).isNull();
    assertThat(kv("other")).isNotNull();
    assertThat(store.eventsFrom(before + 1, 10).events())
        .extracting(Event::type, e -> e.kv().key().toString(), Event::revision)
        .containsExactly(tuple(Event.Type.DELETE, "a", before + 1),
            tuple(Event.Type.DELETE, "b", before + 1), tuple(Event.Type.DELETE, "c", before + 1));
  }

  @Test
  void revokeOfALeaseWithoutKeysWritesNothing() {
    grant(1, 10);
    var r = applier.leaseRevoke(LeaseRevokeRequest.newBuilder().setID(1).build());
    assertThat(r.getHeader().getRevision()).isEqualTo(1);
    assertThat(store.currentRevision()).isEqualTo(1);
    assertThat(lessor.exists(1)).isFalse();
    assertError(() -> applier.leaseRevoke(LeaseRevokeRequest.newBuilder().setID(1).build()),
        StoreError.LEASE_NOT_FOUND);
  }

  @Test
  void compaction() {
    applier.put(put("a", "1"));
    applier.put(put("a", "2"));
    applier.put(put("a", "3"));
    var r = applier.compact(CompactionRequest.newBuilder().setRevision(3).build());
    assertThat(r.getHeader().getRevision()).isEqualTo(4);
    assertThat(store.compactRevision()).isEqualTo(3);
    assertError(() -> applier.compact(CompactionRequest.newBuilder().setRevision(3).build()),
        StoreError.COMPACTED);
    assertError(() -> applier.compact(CompactionRequest.newBuilder().setRevision(5).build()),
        StoreError.FUTURE_REV);
  }
}
