package io.keel.store.apply;

import static io.etcd.jetcd.api.Compare.CompareResult.EQUAL;
import static io.etcd.jetcd.api.Compare.CompareResult.GREATER;
import static io.etcd.jetcd.api.Compare.CompareResult.LESS;
import static io.etcd.jetcd.api.Compare.CompareResult.NOT_EQUAL;
import static io.keel.store.apply.Requests.assertError;
import static io.keel.store.apply.Requests.bs;
import static io.keel.store.apply.Requests.create;
import static io.keel.store.apply.Requests.delete;
import static io.keel.store.apply.Requests.get;
import static io.keel.store.apply.Requests.lease;
import static io.keel.store.apply.Requests.mod;
import static io.keel.store.apply.Requests.op;
import static io.keel.store.apply.Requests.put;
import static io.keel.store.apply.Requests.range;
import static io.keel.store.apply.Requests.value;
import static io.keel.store.apply.Requests.version;
import static org.assertj.core.api.Assertions.assertThat;

import io.etcd.jetcd.api.Compare;
import io.etcd.jetcd.api.DeleteRangeRequest;
import io.etcd.jetcd.api.LeaseGrantRequest;
import io.etcd.jetcd.api.PutRequest;
import io.etcd.jetcd.api.RangeRequest;
import io.etcd.jetcd.api.ResponseOp;
import io.etcd.jetcd.api.TxnRequest;
import io.etcd.jetcd.api.TxnResponse;
import io.keel.store.lease.Lessor;
import io.keel.store.lease.MutableClock;
import io.keel.store.mvcc.MvccStore;
import io.keel.store.mvcc.StoreError;
import java.util.function.LongFunction;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class ApplierTxnTest {
  private final MvccStore store = new MvccStore();
  private final Applier applier =
      new Applier(store, new Lessor(new MutableClock(), 5), new Alarms(1), Long.MAX_VALUE);

  /** k: create 3, mod 4, version 2, value "m", lease 100. */
  @BeforeEach
  void fixture() {
    applier.leaseGrant(LeaseGrantRequest.newBuilder().setID(100).setTTL(10).build());
    applier.put(put("x", "x")); // 2
    applier.put(put("k", "m")); // 3
    applier.put(put("k", "m", 100)); // 4
  }

  private boolean holds(Compare... compares) {
    long before = store.currentRevision();
    TxnResponse r = applier.txn(TxnRequest.newBuilder().addAllCompare(java.util.List.of(compares))
        .build());
    assertThat(store.currentRevision()).isEqualTo(before);
    assertThat(r.getHeader().getRevision()).isEqualTo(before);
    return r.getSucceeded();
  }

  private void assertNumericTarget(LongFunction<Compare> eq, LongFunction<Compare> ne,
      LongFunction<Compare> gt, LongFunction<Compare> lt, long actual) {
    assertThat(holds(eq.apply(actual))).isTrue();
    assertThat(holds(eq.apply(actual + 1))).isFalse();
    assertThat(holds(ne.apply(actual + 1))).isTrue();
    assertThat(holds(ne.apply(actual))).isFalse();
    assertThat(holds(gt.apply(actual - 1))).isTrue();
    assertThat(holds(gt.apply(actual))).isFalse();
    assertThat(holds(lt.apply(actual + 1))).isTrue();
    assertThat(holds(lt.apply(actual))).isFalse();
  }

  @Test
  void valueTarget() {
    assertThat(holds(value("k", EQUAL, "m"))).isTrue();
    assertThat(holds(value("k", EQUAL, "n"))).isFalse();
    assertThat(holds(value("k", NOT_EQUAL, "n"))).isTrue();
    assertThat(holds(value("k", NOT_EQUAL, "m"))).isFalse();
    assertThat(holds(value("k", GREATER, "l"))).isTrue();
    assertThat(holds(value("k", GREATER, "m"))).isFalse();
    assertThat(holds(value("k", LESS, "ma"))).isTrue();
    assertThat(holds(value("k", LESS, "m"))).isFalse();
  }

  @Test
  void versionTarget() {
    assertNumericTarget(v -> version("k", EQUAL, v), v -> version("k", NOT_EQUAL, v),
        v -> version("k", GREATER, v), v -> version("k", LESS, v), 2);
  }

  @Test
  void createTarget() {
    assertNumericTarget(v -> create("k", EQUAL, v), v -> create("k", NOT_EQUAL, v),
        v -> create("k", GREATER, v), v -> create("k", LESS, v), 3);
  }

  @Test
  void modTarget() {
    assertNumericTarget(v -> mod("k", EQUAL, v), v -> mod("k", NOT_EQUAL, v),
        v -> mod("k", GREATER, v), v -> mod("k", LESS, v), 4);
  }

  @Test
  void leaseTarget() {
    assertNumericTarget(v -> lease("k", EQUAL, v), v -> lease("k", NOT_EQUAL, v),
        v -> lease("k", GREATER, v), v -> lease("k", LESS, v), 100);
    assertThat(holds(lease("x", EQUAL, 0))).isTrue();
    // survives the trip through the log
    Compare c = lease("k", EQUAL, 100);
    assertThat(holds(parse(c))).isTrue();
  }

  private static Compare parse(Compare c) {
    try {
      return Compare.parseFrom(c.toByteArray());
    } catch (com.google.protobuf.InvalidProtocolBufferException e) {
      throw new AssertionError(e);
    }
  }

  @Test
  void aMissingKeyComparesAsZerosButNeverOnValue() {
    assertThat(holds(version("nope", EQUAL, 0))).isTrue();
    assertThat(holds(create("nope", EQUAL, 0))).isTrue();
    assertThat(holds(mod("nope", LESS, 1))).isTrue();
    assertThat(holds(lease("nope", EQUAL, 0))).isTrue();
    assertThat(holds(version("nope", GREATER, 0))).isFalse();
    assertThat(holds(value("nope", EQUAL, ""))).isFalse();
    assertThat(holds(value("nope", NOT_EQUAL, "x"))).isFalse();
    assertThat(holds(value("nope", LESS, "z"))).isFalse();
  }

  @Test
  void comparesOverARangeNeedEveryKey() {
    applier.put(put("r1", "a")); // version 1
    applier.put(put("r2", "a"));
    applier.put(put("r2", "b")); // version 2
    Compare.Builder overR = Compare.newBuilder().setKey(bs("r")).setRangeEnd(bs("s"))
        .setTarget(Compare.CompareTarget.VERSION);
    assertThat(holds(overR.clone().setResult(GREATER).setVersion(0).build())).isTrue();
    assertThat(holds(overR.clone().setResult(EQUAL).setVersion(1).build())).isFalse();
    assertThat(holds(overR.clone().setResult(LESS).setVersion(3).build())).isTrue();
    assertThat(holds(overR.clone().setResult(LESS).setVersion(2).build())).isFalse();
    // a range with no keys compares as one zero key
    Compare empty = Compare.newBuilder().setKey(bs("s")).setRangeEnd(bs("t"))
        .setTarget(Compare.CompareTarget.VERSION).setResult(EQUAL).setVersion(0).build();
    assertThat(holds(empty)).isTrue();
    // "\0" as range end: every key from r on
    Compare fromR = Compare.newBuilder().setKey(bs("r")).setRangeEnd(bs("\0"))
        .setTarget(Compare.CompareTarget.VALUE).setResult(EQUAL).setValue(bs("a")).build();
    assertThat(holds(fromR)).isFalse();
    assertThat(holds(fromR.toBuilder().setKey(bs("r1")).setRangeEnd(bs("r2")).build())).isTrue();
  }

  @Test
  void everyCompareMustHold() {
    assertThat(holds(value("k", EQUAL, "m"), version("k", EQUAL, 2))).isTrue();
    assertThat(holds(value("k", EQUAL, "m"), version("k", EQUAL, 3))).isFalse();
    assertThat(holds()).isTrue();
  }

  @Test
  void branchesAndResponses() {
    TxnRequest.Builder t = TxnRequest.newBuilder()
        .addSuccess(op(put("s", "1")))
        .addFailure(op(put("f", "1")))
        .addFailure(op(get("k")));
    TxnResponse ok = applier.txn(t.clone().addCompare(value("k", EQUAL, "m")).build());
    assertThat(ok.getSucceeded()).isTrue();
    assertThat(ok.getResponsesList()).extracting(ResponseOp::getResponseCase)
        .containsExactly(ResponseOp.ResponseCase.RESPONSE_PUT);
    assertThat(applier.range(get("s")).getCount()).isEqualTo(1);
    assertThat(applier.range(get("f")).getCount()).isZero();

    TxnResponse failed = applier.txn(t.clone().addCompare(value("k", EQUAL, "zz")).build());
    assertThat(failed.getSucceeded()).isFalse();
    assertThat(failed.getResponsesList()).extracting(ResponseOp::getResponseCase)
        .containsExactly(ResponseOp.ResponseCase.RESPONSE_PUT,
            ResponseOp.ResponseCase.RESPONSE_RANGE);
    assertThat(failed.getResponses(1).getResponseRange().getKvs(0).getValue()).isEqualTo(bs("m"));
    assertThat(applier.range(get("f")).getCount()).isEqualTo(1);
  }

  @Test
  void oneRevisionPerTxnAndReadsSeeEarlierWrites() {
    TxnResponse r = applier.txn(TxnRequest.newBuilder()
        .addSuccess(op(get("k")))
        .addSuccess(op(put("a", "1")))
        .addSuccess(op(put("b", "1")))
        .addSuccess(op(range("a", "c").build()))
        .addSuccess(op(DeleteRangeRequest.newBuilder().setKey(bs("x")).setPrevKv(true).build()))
        .addSuccess(op(get("x")))
        .build());
    assertThat(store.currentRevision()).isEqualTo(5);
    assertThat(r.getHeader().getRevision()).isEqualTo(5);
    // a read before any write sees the old revision
    assertThat(r.getResponses(0).getResponseRange().getHeader().getRevision()).isEqualTo(4);
    assertThat(r.getResponses(1).getResponsePut().getHeader().getRevision()).isEqualTo(5);
    assertThat(r.getResponses(2).getResponsePut().getHeader().getRevision()).isEqualTo(5);
    var read = r.getResponses(3).getResponseRange();
    assertThat(read.getKvsList()).extracting(kv -> kv.getKey().toStringUtf8())
        .containsExactly("a", "b");
    assertThat(read.getKvsList()).allSatisfy(kv -> assertThat(kv.getModRevision()).isEqualTo(5));
    assertThat(read.getHeader().getRevision()).isEqualTo(5);
    var deleted = r.getResponses(4).getResponseDeleteRange();
    assertThat(deleted.getDeleted()).isEqualTo(1);
    assertThat(deleted.getPrevKvs(0).getValue()).isEqualTo(bs("x"));
    assertThat(r.getResponses(5).getResponseRange().getCount()).isZero();
    assertThat(store.eventsFrom(5, 10).events()).hasSize(3);
  }

  @Test
  void aReadOnlyTxnKeepsTheRevision() {
    TxnResponse r = applier.txn(TxnRequest.newBuilder().addSuccess(op(get("k")))
        .addSuccess(op(delete("missing"))).build());
    assertThat(r.getHeader().getRevision()).isEqualTo(4);
    assertThat(store.currentRevision()).isEqualTo(4);
  }

  @Test
  void nestedTxnsDecideTheirBranchOnTheStateBeforeTheTxn() {
    // etcd's compareToPath: every compare sees the state before the outer txn's writes
    TxnResponse r = applier.txn(TxnRequest.newBuilder()
        .addSuccess(op(put("n", "1")))
        .addSuccess(op(TxnRequest.newBuilder()
            .addCompare(version("n", EQUAL, 0))
            .addSuccess(op(put("then", "1")))
            .addSuccess(op(get("n")))
            .addFailure(op(put("else", "1")))
            .build()))
        .build());
    assertThat(r.getSucceeded()).isTrue();
    TxnResponse nested = r.getResponses(1).getResponseTxn();
    assertThat(nested.getSucceeded()).isTrue();
    assertThat(nested.getResponses(1).getResponseRange().getKvs(0).getVersion()).isEqualTo(1);
    assertThat(applier.range(get("then")).getCount()).isEqualTo(1);
    assertThat(applier.range(get("else")).getCount()).isZero();
    assertThat(store.currentRevision()).isEqualTo(5);
    assertThat(applier.range(get("then")).getKvs(0).getModRevision()).isEqualTo(5);
  }

  @Test
  void nestedBranchesAreCheckedAsTheyWillRun() {
    // before any write "p" is missing, so the nested txn takes its (empty) failure branch; the
    // ignore_value put on a missing key in its success branch is never run
    TxnResponse r = applier.txn(TxnRequest.newBuilder()
        .addSuccess(op(put("p", "1")))
        .addSuccess(op(TxnRequest.newBuilder()
            .addCompare(version("p", GREATER, 0))
            .addSuccess(op(PutRequest.newBuilder().setKey(bs("absent")).setIgnoreValue(true)
                .build()))
            .build()))
        .build());
    assertThat(r.getResponses(1).getResponseTxn().getSucceeded()).isFalse();
    assertThat(applier.range(get("p")).getCount()).isEqualTo(1);
    assertThat(applier.range(get("absent")).getCount()).isZero();

    // and a bad op on the branch that will run refuses the whole txn before any write
    long before = store.currentRevision();
    assertError(() -> applier.txn(TxnRequest.newBuilder()
        .addSuccess(op(put("q", "1")))
        .addSuccess(op(TxnRequest.newBuilder()
            .addCompare(version("q", EQUAL, 0))
            .addSuccess(op(PutRequest.newBuilder().setKey(bs("absent")).setIgnoreValue(true)
                .build()))
            .build()))
        .build()), StoreError.KEY_NOT_FOUND);
    assertThat(store.currentRevision()).isEqualTo(before);
    assertThat(applier.range(get("q")).getCount()).isZero();
  }

  @Test
  void refusedOpsWriteNothing() {
    long before = store.currentRevision();
    assertError(() -> applier.txn(TxnRequest.newBuilder()
        .addSuccess(op(put("a", "1")))
        .addSuccess(op(put("b", "1", 555)))
        .build()), StoreError.LEASE_NOT_FOUND);
    assertError(() -> applier.txn(TxnRequest.newBuilder()
        .addSuccess(op(put("a", "1")))
        .addSuccess(op(PutRequest.newBuilder().setKey(bs("zz")).setIgnoreLease(true).build()))
        .build()), StoreError.KEY_NOT_FOUND);
    assertError(() -> applier.txn(TxnRequest.newBuilder()
        .addSuccess(op(put("a", "1")))
        .addSuccess(op(RangeRequest.newBuilder().setKey(bs("k")).setRevision(before + 1).build()))
        .build()), StoreError.FUTURE_REV);
    assertThat(store.currentRevision()).isEqualTo(before);
    assertThat(applier.range(get("a")).getCount()).isZero();

    applier.compact(io.etcd.jetcd.api.CompactionRequest.newBuilder().setRevision(3).build());
    assertError(() -> applier.txn(TxnRequest.newBuilder()
        .addSuccess(op(put("a", "1")))
        .addSuccess(op(RangeRequest.newBuilder().setKey(bs("k")).setRevision(2).build()))
        .build()), StoreError.COMPACTED);
    assertThat(store.currentRevision()).isEqualTo(before);
    TxnResponse atCompaction = applier.txn(TxnRequest.newBuilder()
        .addSuccess(op(RangeRequest.newBuilder().setKey(bs("k")).setRevision(3).build()))
        .build());
    assertThat(atCompaction.getResponses(0).getResponseRange().getKvs(0).getVersion())
        .isEqualTo(1);
  }

  @Test
  void onlyTheBranchTakenIsChecked() {
    TxnResponse r = applier.txn(TxnRequest.newBuilder()
        .addCompare(value("k", EQUAL, "no"))
        .addSuccess(op(put("b", "1", 555)))
        .addFailure(op(put("c", "1")))
        .build());
    assertThat(r.getSucceeded()).isFalse();
    assertThat(applier.range(get("c")).getCount()).isEqualTo(1);
  }
}
