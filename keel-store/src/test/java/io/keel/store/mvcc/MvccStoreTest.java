package io.keel.store.mvcc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.tuple;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class MvccStoreTest {
  private final MvccStore store = new MvccStore();

  private static Bytes b(String s) {
    return Bytes.of(s);
  }

  private long put(String key, String value) {
    return put(key, value, 0);
  }

  private long put(String key, String value, long lease) {
    try (var txn = store.beginWrite()) {
      txn.put(b(key), b(value), lease);
    }
    return store.currentRevision();
  }

  private long delete(KeyRange range) {
    try (var txn = store.beginWrite()) {
      txn.deleteRange(range);
    }
    return store.currentRevision();
  }

  private KeyValue get(String key, long revision) {
    List<KeyValue> kvs =
        store.range(KeyRange.single(b(key)), new RangeOptions(0, revision, false)).kvs();
    return kvs.isEmpty() ? null : kvs.get(0);
  }

  private List<String> keys(KeyRange range) {
    return store.range(range, RangeOptions.ALL).kvs().stream().map(kv -> kv.key().toString())
        .toList();
  }

  private static void assertError(Runnable r, StoreError error) {
    assertThatThrownBy(r::run).isInstanceOf(MvccException.class)
        .extracting(e -> ((MvccException) e).error()).isEqualTo(error);
  }

  @Test
  void freshStoreIsAtRevisionOne() {
    assertThat(store.currentRevision()).isEqualTo(1);
    assertThat(store.compactRevision()).isZero();
    assertThat(store.keyCount()).isZero();
    assertThat(store.sizeBytes()).isZero();
    RangeResult rr = store.range(new KeyRange(Bytes.ZERO, Bytes.ZERO), RangeOptions.ALL);
    assertThat(rr.kvs()).isEmpty();
    assertThat(rr.count()).isZero();
    assertThat(rr.revision()).isEqualTo(1);
  }

  @Test
  void oneRevisionPerWriteTxnWhateverItChanges() {
    List<Long> published = new ArrayList<>();
    store.onRevision(published::add);
    long rev;
    try (var txn = store.beginWrite()) {
      assertThat(txn.revision()).isEqualTo(1);
      txn.put(b("a"), b("1"), 0);
      assertThat(txn.revision()).isEqualTo(2);
      txn.put(b("b"), b("2"), 0);
      txn.put(b("c"), b("3"), 0);
      rev = txn.end();
    }
    assertThat(rev).isEqualTo(2);
    assertThat(store.currentRevision()).isEqualTo(2);
    assertThat(store.range(new KeyRange(b("a"), b("d")), RangeOptions.ALL).kvs())
        .extracting(KeyValue::modRevision).containsExactly(2L, 2L, 2L);
    assertThat(put("a", "x")).isEqualTo(3);
    assertThat(published).containsExactly(2L, 3L);
  }

  @Test
  void writesThatChangeNothingDoNotBumpTheRevision() {
    List<Long> published = new ArrayList<>();
    store.onRevision(published::add);
    put("a", "1");
    try (var txn = store.beginWrite()) {
      // an empty txn
    }
    assertThat(store.currentRevision()).isEqualTo(2);
    try (var txn = store.beginWrite()) {
      assertThat(txn.deleteRange(KeyRange.single(b("missing")))).isEmpty();
      assertThat(txn.deleteRange(new KeyRange(b("b"), b("z")))).isEmpty();
      assertThat(txn.range(KeyRange.single(b("a")), RangeOptions.ALL).kvs()).hasSize(1);
      assertThat(txn.revision()).isEqualTo(2);
    }
    assertThat(store.currentRevision()).isEqualTo(2);
    assertThat(published).containsExactly(2L);
  }

  @Test
  void createModVersionAndRecreation() {
    assertThat(put("k", "v1")).isEqualTo(2);
    assertThat(put("k", "v2")).isEqualTo(3);
    assertThat(put("other", "x")).isEqualTo(4);
    assertThat(put("k", "v3")).isEqualTo(5);

    KeyValue kv = get("k", 0);
    assertThat(kv).isEqualTo(new KeyValue(b("k"), 2, 5, 3, b("v3"), 0));

    assertThat(delete(KeyRange.single(b("k")))).isEqualTo(6);
    assertThat(get("k", 0)).isNull();

    assertThat(put("k", "again")).isEqualTo(7);
    assertThat(get("k", 0)).isEqualTo(new KeyValue(b("k"), 7, 7, 1, b("again"), 0));

    // history is kept per revision
    assertThat(get("k", 1)).isNull();
    assertThat(get("k", 2)).isEqualTo(new KeyValue(b("k"), 2, 2, 1, b("v1"), 0));
    assertThat(get("k", 4)).isEqualTo(new KeyValue(b("k"), 2, 3, 2, b("v2"), 0));
    assertThat(get("k", 6)).isNull();
  }

  @Test
  void deleteThenPutInOneTxnRecreatesTheKey() {
    put("k", "v1");
    put("k", "v2");
    try (var txn = store.beginWrite()) {
      txn.deleteRange(KeyRange.single(b("k")));
      assertThat(txn.get(b("k"))).isNull();
      txn.put(b("k"), b("new"), 0);
    }
    assertThat(store.currentRevision()).isEqualTo(4);
    assertThat(get("k", 0)).isEqualTo(new KeyValue(b("k"), 4, 4, 1, b("new"), 0));
  }

  @Test
  void rangeShapes() {
    for (String k : List.of("a", "abc", "abd", "b", "c")) {
      put(k, k);
    }
    assertThat(keys(KeyRange.single(b("abc")))).containsExactly("abc");
    assertThat(keys(KeyRange.single(b("ab")))).isEmpty();
    // prefix "ab": [ab, ac)
    assertThat(keys(new KeyRange(b("ab"), b("ac")))).containsExactly("abc", "abd");
    assertThat(keys(new KeyRange(b("abd"), Bytes.ZERO))).containsExactly("abd", "b", "c");
    assertThat(keys(new KeyRange(Bytes.ZERO, Bytes.ZERO)))
        .containsExactly("a", "abc", "abd", "b", "c");
    assertThat(keys(new KeyRange(b("b"), b("b")))).isEmpty();
    assertThat(keys(new KeyRange(b("c"), b("a")))).isEmpty();
  }

  @Test
  void limitAndCount() {
    for (String k : List.of("a", "b", "c", "d", "e")) {
      put(k, k);
    }
    KeyRange all = new KeyRange(b("a"), Bytes.ZERO);
    RangeResult limited = store.range(all, new RangeOptions(2, 0, false));
    assertThat(limited.kvs()).extracting(kv -> kv.key().toString()).containsExactly("a", "b");
    assertThat(limited.count()).isEqualTo(5);

    RangeResult counted = store.range(all, new RangeOptions(0, 0, true));
    assertThat(counted.kvs()).isEmpty();
    assertThat(counted.count()).isEqualTo(5);
    assertThat(counted.revision()).isEqualTo(6);
  }

  @Test
  void rangeAtRevisions() {
    put("a", "1");
    put("a", "2");
    put("b", "1");
    // etcd reports the store's current revision, not the one read
    RangeResult past = store.range(KeyRange.single(b("a")), new RangeOptions(0, 2, false));
    assertThat(past.kvs()).extracting(kv -> kv.value().toString()).containsExactly("1");
    assertThat(past.revision()).isEqualTo(4);
    assertThat(keys(new KeyRange(Bytes.ZERO, Bytes.ZERO))).containsExactly("a", "b");
    assertThat(store.range(new KeyRange(Bytes.ZERO, Bytes.ZERO), new RangeOptions(0, 3, false))
        .count()).isEqualTo(1);
    assertThat(store.range(KeyRange.single(b("a")), new RangeOptions(0, 4, false)).kvs())
        .hasSize(1);
    assertError(() -> store.range(KeyRange.single(b("a")), new RangeOptions(0, 5, false)),
        StoreError.FUTURE_REV);
  }

  @Test
  void readsInsideATxnSeeItsOwnWrites() {
    put("a", "old");
    try (var txn = store.beginWrite()) {
      RangeResult before = txn.range(KeyRange.single(b("a")), RangeOptions.ALL);
      assertThat(before.revision()).isEqualTo(2);
      txn.put(b("a"), b("new"), 0);
      txn.put(b("b"), b("b"), 0);
      RangeResult after = txn.range(new KeyRange(b("a"), Bytes.ZERO), RangeOptions.ALL);
      assertThat(after.kvs()).extracting(kv -> kv.value().toString()).containsExactly("new", "b");
      assertThat(after.kvs()).extracting(KeyValue::modRevision).containsOnly(3L);
      assertThat(after.revision()).isEqualTo(3);
      assertThat(txn.get(b("a")).version()).isEqualTo(2);
      // the old revision is still readable inside the txn
      assertThat(txn.range(KeyRange.single(b("a")), new RangeOptions(0, 2, false)).kvs().get(0)
          .value()).isEqualTo(b("old"));
    }
  }

  @Test
  void deleteRangeReturnsWhatItDeleted() {
    put("a", "1");
    put("b", "2", 7);
    put("c", "3");
    List<KeyValue> deleted;
    try (var txn = store.beginWrite()) {
      deleted = txn.deleteRange(new KeyRange(b("a"), b("c")));
    }
    assertThat(deleted).extracting(kv -> kv.key().toString(), KeyValue::lease)
        .containsExactly(tuple("a", 0L), tuple("b", 7L));
    assertThat(store.currentRevision()).isEqualTo(5);
    assertThat(keys(new KeyRange(Bytes.ZERO, Bytes.ZERO))).containsExactly("c");
  }

  @Test
  void compactionDropsHistoryBeforeThePoint() {
    put("a", "1"); // 2
    put("a", "2"); // 3
    put("b", "1"); // 4
    delete(KeyRange.single(b("b"))); // 5
    put("c", "1"); // 6
    long sizeBefore = store.sizeBytes();
    assertThat(sizeBefore).isPositive();

    store.compact(4);
    assertThat(store.compactRevision()).isEqualTo(4);
    assertThat(store.sizeBytes()).isLessThan(sizeBefore);

    assertError(() -> get("a", 3), StoreError.COMPACTED);
    assertError(() -> get("a", 2), StoreError.COMPACTED);
    // at exactly the compact revision reads still work
    assertThat(get("a", 4).value()).isEqualTo(b("2"));
    assertThat(get("b", 4).value()).isEqualTo(b("1"));
    assertThat(get("b", 5)).isNull();
    assertThat(get("c", 6).value()).isEqualTo(b("1"));
    assertThat(store.range(new KeyRange(Bytes.ZERO, Bytes.ZERO), new RangeOptions(0, 4, false))
        .count()).isEqualTo(2);

    assertError(() -> store.compact(4), StoreError.COMPACTED);
    assertError(() -> store.compact(3), StoreError.COMPACTED);
    assertError(() -> store.compact(7), StoreError.FUTURE_REV);
    assertThat(store.compactRevision()).isEqualTo(4);

    int keysBefore = store.keyCount();
    long sizeAt4 = store.sizeBytes();
    store.compact(6);
    // b's tombstone and its last version are gone, and so is the key
    assertThat(store.keyCount()).isEqualTo(keysBefore - 1);
    assertThat(store.sizeBytes()).isLessThan(sizeAt4);
    assertThat(keys(new KeyRange(Bytes.ZERO, Bytes.ZERO))).containsExactly("a", "c");
    assertThat(get("a", 6).version()).isEqualTo(2);
  }

  @Test
  void compactionFreesExactlyTheDroppedVersions() {
    put("k", "0123456789");
    put("k", "abcdefghij");
    long oneVersion = new KeyValue(b("k"), 0, 0, 0, b("0123456789"), 0).footprint();
    assertThat(store.sizeBytes()).isEqualTo(2 * oneVersion);
    store.compact(3);
    assertThat(store.sizeBytes()).isEqualTo(oneVersion);
    delete(KeyRange.single(b("k")));
    store.compact(4);
    assertThat(store.sizeBytes()).isZero();
    assertThat(store.keyCount()).isZero();
  }

  @Test
  void compactAtCurrentRevisionKeepsLiveKeys() {
    put("a", "1");
    put("a", "2");
    store.compact(store.currentRevision());
    assertThat(get("a", 0).value()).isEqualTo(b("2"));
    assertThat(get("a", 0).createRevision()).isEqualTo(2);
  }

  @Test
  void eventsAreOrderedAtomicPerRevisionAndCarryPrevKv() {
    put("a", "1"); // 2
    put("b", "1", 5); // 3
    try (var txn = store.beginWrite()) { // 4
      txn.put(b("c"), b("1"), 0);
      txn.put(b("a"), b("2"), 0);
      txn.deleteRange(KeyRange.single(b("b")));
    }
    put("a", "3"); // 5

    MvccStore.EventBatch batch = store.eventsFrom(2, 100);
    assertThat(batch.throughRevision()).isEqualTo(5);
    List<Event> events = batch.events();
    assertThat(events).extracting(Event::type, e -> e.kv().key().toString(), Event::revision)
        .containsExactly(
            tuple(Event.Type.PUT, "a", 2L),
            tuple(Event.Type.PUT, "b", 3L),
            tuple(Event.Type.PUT, "c", 4L),
            tuple(Event.Type.PUT, "a", 4L),
            tuple(Event.Type.DELETE, "b", 4L),
            tuple(Event.Type.PUT, "a", 5L));
    assertThat(events.get(0).prevKv()).isNull();
    assertThat(events.get(2).prevKv()).isNull();
    assertThat(events.get(3).prevKv()).isEqualTo(new KeyValue(b("a"), 2, 2, 1, b("1"), 0));
    assertThat(events.get(4).prevKv()).isEqualTo(new KeyValue(b("b"), 3, 3, 1, b("1"), 5));
    assertThat(events.get(4).kv().version()).isZero();
    assertThat(events.get(5).prevKv().modRevision()).isEqualTo(4);

    MvccStore.EventBatch first = store.eventsFrom(4, 1);
    assertThat(first.throughRevision()).isEqualTo(4);
    assertThat(first.events()).hasSize(3).extracting(Event::revision).containsOnly(4L);

    MvccStore.EventBatch tail = store.eventsFrom(5, 10);
    assertThat(tail.events()).extracting(Event::revision).containsExactly(5L);
  }

  @Test
  void eventsBeforeTheCompactionPointAreRefused() {
    put("a", "1");
    put("a", "2");
    put("a", "3");
    store.compact(3);
    assertError(() -> store.eventsFrom(2, 10), StoreError.COMPACTED);
    assertThat(store.eventsFrom(3, 10).events()).extracting(Event::revision)
        .containsExactly(3L, 4L);
  }

  @Test
  void restoreRebuildsTheSameStore() {
    put("a", "1");
    put("b", "1", 9);
    put("a", "2");
    delete(KeyRange.single(b("b")));
    put("c", "1");
    store.compact(3);
    put("a", "3");

    List<MvccStore.Versioned> versions = new ArrayList<>();
    store.forEachVersion((kv, sub) -> versions.add(new MvccStore.Versioned(kv, sub)));
    MvccStore copy = new MvccStore();
    copy.restore(versions, store.currentRevision(), store.compactRevision());

    assertThat(copy.currentRevision()).isEqualTo(store.currentRevision());
    assertThat(copy.compactRevision()).isEqualTo(3);
    assertThat(copy.sizeBytes()).isEqualTo(store.sizeBytes());
    assertThat(copy.keyCount()).isEqualTo(store.keyCount());
    KeyRange all = new KeyRange(Bytes.ZERO, Bytes.ZERO);
    for (long rev = 3; rev <= store.currentRevision(); rev++) {
      var options = new RangeOptions(0, rev, false);
      assertThat(copy.range(all, options)).as("revision %d", rev)
          .isEqualTo(store.range(all, options));
    }
    assertThat(copy.eventsFrom(3, 100)).isEqualTo(store.eventsFrom(3, 100));
  }
}
