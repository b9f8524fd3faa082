package io.keel.store.mvcc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class MvccSnapshotTest {
  private final MvccStore store = new MvccStore();

  private long put(String key, String value) {
    try (var txn = store.beginWrite()) {
      txn.put(Bytes.of(key), Bytes.of(value), 0);
      return txn.end();
    }
  }

  private List<String> versionsIn(MvccStore.Snapshot snapshot) {
    List<String> seen = new ArrayList<>();
    snapshot.forEachVersion((kv, sub) -> seen.add(kv.key() + "=" + kv.value() + "@" + kv.modRevision()));
    return seen;
  }

  @Test
  void snapshotIgnoresWritesAfterItsRevision() {
    put("a", "1");
    try (var snapshot = store.openSnapshot()) {
      put("a", "2");
      put("b", "3");
      assertThat(snapshot.revision()).isEqualTo(2);
      assertThat(versionsIn(snapshot)).containsExactly("a=1@2");
    }
  }

  @Test
  void compactionWaitsForOpenSnapshotButIsLogicallyImmediate() {
    put("a", "1");
    put("a", "2");
    put("a", "3");
    long sizeBefore = store.sizeBytes();
    var snapshot = store.openSnapshot();
    store.compact(4);
    assertThatThrownBy(() -> store.range(KeyRange.single(Bytes.of("a")), new RangeOptions(0, 2, false)))
        .isInstanceOf(MvccException.class)
        .extracting(e -> ((MvccException) e).error()).isEqualTo(StoreError.COMPACTED);
    assertThat(versionsIn(snapshot)).containsExactly("a=1@2", "a=2@3", "a=3@4");
    assertThat(store.sizeBytes()).isEqualTo(sizeBefore);

    snapshot.close();
    put("b", "x");
    assertThat(store.sizeBytes()).isLessThan(sizeBefore + Bytes.of("bx").size() + 48);
    try (var after = store.openSnapshot()) {
      assertThat(versionsIn(after)).containsExactly("a=3@4", "b=x@5");
    }
  }

  @Test
  void releasedBytesCountWhatCompactionDropsOnceNoSnapshotReadsIt() {
    put("a", "1");
    put("a", "2");
    put("a", "3");
    long sizeBefore = store.sizeBytes();
    assertThat(store.releasedBytes()).isZero();
    var snapshot = store.openSnapshot();
    store.compact(4);
    assertThat(store.releasedBytes()).isZero();
    snapshot.close();
    put("b", "x");
    // the two versions compaction dropped: a=1 and a=2, each key + value + 48 bytes
    assertThat(store.releasedBytes()).isEqualTo(2 * (1 + 1 + 48));
    assertThat(store.sizeBytes()).isEqualTo(sizeBefore - 2 * (1 + 1 + 48) + (1 + 1 + 48));
  }

  @Test
  void releasedBytesCountTheStateARestoreReplaces() {
    put("a", "1");
    put("b", "2");
    long size = store.sizeBytes();
    store.restore(List.of(), 1, 0);
    assertThat(store.sizeBytes()).isZero();
    assertThat(store.releasedBytes()).isEqualTo(size);
  }

  @Test
  void readsRunConcurrentlyWithWritesAndSeeWholeRevisions() throws Exception {
    Thread writer = new Thread(() -> {
      for (int i = 0; i < 2000; i++) {
        try (var txn = store.beginWrite()) {
          txn.put(Bytes.of("x"), Bytes.of(Integer.toString(i)), 0);
          txn.put(Bytes.of("y"), Bytes.of(Integer.toString(i)), 0);
          txn.end();
        }
      }
    });
    writer.start();
    while (writer.isAlive()) {
      var kvs = store.range(new KeyRange(Bytes.of("x"), Bytes.of("z")), RangeOptions.ALL).kvs();
      if (!kvs.isEmpty()) {
        assertThat(kvs).hasSize(2);
        assertThat(kvs.get(0).value()).isEqualTo(kvs.get(1).value());
        assertThat(kvs.get(0).modRevision()).isEqualTo(kvs.get(1).modRevision());
      }
    }
    writer.join();
    assertThat(store.currentRevision()).isEqualTo(2001);
  }
}
