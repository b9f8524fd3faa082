package io.keel.store.apply;

import static io.keel.store.apply.Requests.assertError;
import static io.keel.store.apply.Requests.bs;
import static io.keel.store.apply.Requests.get;
import static io.keel.store.apply.Requests.put;
import static io.keel.store.apply.Requests.range;
import static org.assertj.core.api.Assertions.assertThat;

import io.etcd.jetcd.api.CompactionRequest;
import io.etcd.jetcd.api.KeyValue;
import io.etcd.jetcd.api.RangeRequest;
import io.etcd.jetcd.api.RangeRequest.SortOrder;
import io.etcd.jetcd.api.RangeRequest.SortTarget;
import io.etcd.jetcd.api.RangeResponse;
import io.keel.store.lease.Lessor;
import io.keel.store.lease.MutableClock;
import io.keel.store.mvcc.MvccStore;
import io.keel.store.mvcc.StoreError;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Range as etcd 3.4's applier answers it. The fixture gives every sort target its own order:
 *
 * <pre>
 *   key  create  mod  version  value
 *   a    3       11   2        m
 *   b    5       10   4        z
 *   c    2       8    3        a
 *   d    4       4    1        q
 * </pre>
 */
class ApplierRangeTest {
  private final Applier applier = new Applier(new MvccStore(), new Lessor(new MutableClock(), 5),
      new Alarms(1), Long.MAX_VALUE);

  @BeforeEach
  void fixture() {
    applier.put(put("c", "c1")); // 2
    applier.put(put("a", "a1")); // 3
    applier.put(put("d", "q")); // 4
    applier.put(put("b", "b1")); // 5
    applier.put(put("c", "c2")); // 6
    applier.put(put("b", "b2")); // 7
    applier.put(put("c", "a")); // 8
    applier.put(put("b", "b3")); // 9
    applier.put(put("b", "z")); // 10
    applier.put(put("a", "m")); // 11
  }

  private static List<String> keys(RangeResponse r) {
    return r.getKvsList().stream().map(kv -> kv.getKey().toStringUtf8()).toList();
  }

  private RangeResponse all(RangeRequest.Builder b) {
    return applier.range(b.setKey(bs("\0")).setRangeEnd(bs("\0")).build());
  }

  @Test
  void singleKeyWithAllFields() {
    RangeResponse r = applier.range(get("b"));
    assertThat(r.getKvsList()).containsExactly(KeyValue.newBuilder().setKey(bs("b"))
        .setValue(bs("z")).setCreateRevision(5).setModRevision(10).setVersion(4).build());
    assertThat(r.getCount()).isEqualTo(1);
    assertThat(r.getMore()).isFalse();
    assertThat(r.getHeader().getRevision()).isEqualTo(11);
    assertThat(applier.range(get("missing")).getKvsList()).isEmpty();
    assertThat(applier.range(get("missing")).getCount()).isZero();
  }

  @Test
  void rangeShapes() {
    assertThat(keys(applier.range(range("b", "d").build()))).containsExactly("b", "c");
    assertThat(keys(applier.range(range("b", "\0").build()))).containsExactly("b", "c", "d");
    assertThat(keys(applier.range(range("\0", "\0").build()))).containsExactly("a", "b", "c", "d");
    assertThat(keys(applier.range(range("c", "c").build()))).isEmpty();
    assertThat(keys(applier.range(range("d", "a").build()))).isEmpty();
    assertThat(applier.range(range("d", "a").build()).getCount()).isZero();
  }

  @Test
  void limitSetsMoreAndCountIgnoresIt() {
    RangeResponse two = all(RangeRequest.newBuilder().setLimit(2));
    assertThat(keys(two)).containsExactly("a", "b");
    assertThat(two.getMore()).isTrue();
    assertThat(two.getCount()).isEqualTo(4);

    RangeResponse exact = all(RangeRequest.newBuilder().setLimit(4));
    assertThat(keys(exact)).hasSize(4);
    assertThat(exact.getMore()).isFalse();
    assertThat(all(RangeRequest.newBuilder().setLimit(5)).getMore()).isFalse();
  }

  @Test
  void limitAppliesAfterSorting() {
    RangeResponse r = all(RangeRequest.newBuilder().setLimit(2)
        .setSortTarget(SortTarget.MOD).setSortOrder(SortOrder.DESCEND));
    assertThat(keys(r)).containsExactly("a", "b");
    assertThat(r.getMore()).isTrue();
    RangeResponse byValue = all(RangeRequest.newBuilder().setLimit(1)
        .setSortTarget(SortTarget.VALUE).setSortOrder(SortOrder.ASCEND));
    assertThat(keys(byValue)).containsExactly("c");
    assertThat(byValue.getCount()).isEqualTo(4);
  }

  @ParameterizedTest
  @EnumSource(value = SortTarget.class, names = "UNRECOGNIZED", mode = EnumSource.Mode.EXCLUDE)
  void everySortTargetAndOrder(SortTarget target) {
    List<String> ascending = switch (target) {
      case KEY -> List.of("a", "b", "c", "d");
      case VERSION -> List.of("d", "a", "c", "b");
      case CREATE -> List.of("c", "a", "d", "b");
      case MOD -> List.of("d", "c", "b", "a");
      case VALUE -> List.of("c", "a", "d", "b");
      default -> throw new AssertionError(target);
    };
    assertThat(keys(all(RangeRequest.newBuilder().setSortTarget(target)
        .setSortOrder(SortOrder.ASCEND)))).containsExactlyElementsOf(ascending);
    assertThat(keys(all(RangeRequest.newBuilder().setSortTarget(target)
        .setSortOrder(SortOrder.DESCEND)))).containsExactlyElementsOf(ascending.reversed());
    // order NONE: key order for KEY, ascending for every other target (etcd's rule)
    assertThat(keys(all(RangeRequest.newBuilder().setSortTarget(target)
        .setSortOrder(SortOrder.NONE)))).containsExactlyElementsOf(ascending);
  }

  @Test
  void keysOnlyAndCountOnly() {
    RangeResponse keysOnly = all(RangeRequest.newBuilder().setKeysOnly(true));
    assertThat(keys(keysOnly)).containsExactly("a", "b", "c", "d");
    assertThat(keysOnly.getKvsList()).allSatisfy(kv -> assertThat(kv.getValue().isEmpty()).isTrue());
    assertThat(keysOnly.getKvs(1).getVersion()).isEqualTo(4);
    assertThat(keysOnly.getKvs(1).getModRevision()).isEqualTo(10);

    RangeResponse countOnly = all(RangeRequest.newBuilder().setCountOnly(true).setLimit(1));
    assertThat(countOnly.getKvsList()).isEmpty();
    assertThat(countOnly.getCount()).isEqualTo(4);
    assertThat(countOnly.getMore()).isFalse();
  }

  @Test
  void readAtRevisions() {
    RangeResponse past = all(RangeRequest.newBuilder().setRevision(5));
    assertThat(keys(past)).containsExactly("a", "b", "c", "d");
    assertThat(past.getKvsList()).extracting(kv -> kv.getValue().toStringUtf8())
        .containsExactly("a1", "b1", "c1", "q");
    // etcd's header carries the current revision, even for a read in the past
    assertThat(past.getHeader().getRevision()).isEqualTo(11);
    assertThat(keys(all(RangeRequest.newBuilder().setRevision(2)))).containsExactly("c");
    assertThat(keys(all(RangeRequest.newBuilder().setRevision(1)))).isEmpty();
    assertThat(applier.range(range("a", "b").setRevision(11).build()).getKvs(0).getValue())
        .isEqualTo(bs("m"));

    assertError(() -> applier.range(range("a", "b").setRevision(12).build()),
        StoreError.FUTURE_REV);

    applier.compact(CompactionRequest.newBuilder().setRevision(7).build());
    assertError(() -> applier.range(range("a", "b").setRevision(6).build()),
        StoreError.COMPACTED);
    RangeResponse atCompaction = all(RangeRequest.newBuilder().setRevision(7));
    assertThat(atCompaction.getKvsList()).extracting(kv -> kv.getValue().toStringUtf8())
        .containsExactly("a1", "b2", "c2", "q");
  }

  @Test
  void revisionFilters() {
    assertThat(keys(all(RangeRequest.newBuilder().setMinModRevision(8))))
        .containsExactly("a", "b", "c");
    assertThat(keys(all(RangeRequest.newBuilder().setMaxModRevision(8))))
        .containsExactly("c", "d");
    assertThat(keys(all(RangeRequest.newBuilder().setMinCreateRevision(3)
        .setMaxCreateRevision(4)))).containsExactly("a", "d");
    assertThat(keys(all(RangeRequest.newBuilder().setMinModRevision(9).setMaxModRevision(10))))
        .containsExactly("b");
    // filters apply before the limit; count is the range's, before filtering, as in etcd
    RangeResponse filtered = all(RangeRequest.newBuilder().setMinCreateRevision(4).setLimit(1));
    assertThat(keys(filtered)).containsExactly("b");
    assertThat(filtered.getMore()).isTrue();
    assertThat(filtered.getCount()).isEqualTo(4);
  }
}
