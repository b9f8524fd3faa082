package io.keel.store.apply;

import static io.etcd.jetcd.api.Compare.CompareResult.EQUAL;
import static io.keel.store.apply.Requests.assertError;
import static io.keel.store.apply.Requests.bs;
import static io.keel.store.apply.Requests.delete;
import static io.keel.store.apply.Requests.get;
import static io.keel.store.apply.Requests.op;
import static io.keel.store.apply.Requests.put;
import static io.keel.store.apply.Requests.version;
import static org.assertj.core.api.Assertions.assertThatCode;

import io.etcd.jetcd.api.Compare;
import io.etcd.jetcd.api.DeleteRangeRequest;
import io.etcd.jetcd.api.PutRequest;
import io.etcd.jetcd.api.RangeRequest;
import io.etcd.jetcd.api.RequestOp;
import io.etcd.jetcd.api.TxnRequest;
import io.keel.store.mvcc.StoreError;
import org.junit.jupiter.api.Test;

class RequestValidatorTest {
  private final RequestValidator validator = new RequestValidator(128);

  private static TxnRequest txn(RequestOp... success) {
    return TxnRequest.newBuilder().addAllSuccess(java.util.List.of(success)).build();
  }

  private static TxnRequest ops(int n) {
    TxnRequest.Builder b = TxnRequest.newBuilder();
    for (int i = 0; i < n; i++) {
      b.addSuccess(op(get("k" + i)));
    }
    return b.build();
  }

  private void valid(TxnRequest t) {
    assertThatCode(() -> validator.checkTxn(t)).doesNotThrowAnyException();
  }

  @Test
  void emptyKeys() {
    assertError(() -> validator.checkRange(RangeRequest.getDefaultInstance()),
        StoreError.EMPTY_KEY);
    assertError(() -> validator.checkPut(PutRequest.newBuilder().setValue(bs("v")).build()),
        StoreError.EMPTY_KEY);
    assertError(() -> validator.checkDelete(DeleteRangeRequest.getDefaultInstance()),
        StoreError.EMPTY_KEY);
    assertError(() -> validator.checkTxn(TxnRequest.newBuilder()
        .addCompare(Compare.newBuilder().setResult(EQUAL).build()).build()), StoreError.EMPTY_KEY);
    assertError(() -> validator.checkTxn(txn(op(PutRequest.getDefaultInstance()))),
        StoreError.EMPTY_KEY);
    assertError(() -> validator.checkTxn(TxnRequest.newBuilder()
        .addFailure(op(DeleteRangeRequest.getDefaultInstance())).build()), StoreError.EMPTY_KEY);
    assertError(() -> validator.checkTxn(txn(op(txn(op(RangeRequest.getDefaultInstance()))))),
        StoreError.EMPTY_KEY);
    assertError(() -> validator.checkTxn(txn(RequestOp.getDefaultInstance())),
        StoreError.KEY_NOT_FOUND);
  }

  @Test
  void putFlags() {
    assertError(() -> validator.checkPut(PutRequest.newBuilder().setKey(bs("k"))
        .setIgnoreValue(true).setValue(bs("v")).build()), StoreError.VALUE_PROVIDED);
    assertError(() -> validator.checkPut(PutRequest.newBuilder().setKey(bs("k"))
        .setIgnoreLease(true).setLease(5).build()), StoreError.LEASE_PROVIDED);
    assertThatCode(() -> validator.checkPut(PutRequest.newBuilder().setKey(bs("k"))
        .setIgnoreValue(true).setIgnoreLease(true).build())).doesNotThrowAnyException();
  }

  @Test
  void sortOptions() {
    assertError(() -> validator.checkRange(get("k").toBuilder().setSortOrderValue(7).build()),
        StoreError.INVALID_SORT_OPTION);
    assertError(() -> validator.checkRange(get("k").toBuilder().setSortTargetValue(9).build()),
        StoreError.INVALID_SORT_OPTION);
  }

  @Test
  void atMost128Ops() {
    valid(ops(128));
    assertError(() -> validator.checkTxn(ops(129)), StoreError.TOO_MANY_OPS);
    TxnRequest.Builder failures = TxnRequest.newBuilder();
    TxnRequest.Builder compares = TxnRequest.newBuilder();
    for (int i = 0; i < 129; i++) {
      failures.addFailure(op(get("k")));
      compares.addCompare(version("k", EQUAL, 0));
    }
    assertError(() -> validator.checkTxn(failures.build()), StoreError.TOO_MANY_OPS);
    assertError(() -> validator.checkTxn(compares.build()), StoreError.TOO_MANY_OPS);
  }

  @Test
  void nestedTxnsShareTheOpBudget() {
    TxnRequest.Builder outer = ops(100).toBuilder();
    valid(outer.clone().addSuccess(op(ops(27))).build());
    // 101 ops at the top leave 27 for the nested txn
    assertError(() -> validator.checkTxn(outer.clone().addSuccess(op(ops(28))).build()),
        StoreError.TOO_MANY_OPS);
  }

  @Test
  void duplicatePutsOnOnePath() {
    assertError(() -> validator.checkTxn(txn(op(put("a", "1")), op(put("a", "2")))),
        StoreError.DUPLICATE_KEY);
    // success and failure exclude each other
    valid(TxnRequest.newBuilder().addSuccess(op(put("a", "1"))).addFailure(op(put("a", "2")))
        .build());
    valid(txn(op(put("a", "1")), op(put("b", "2")), op(get("a")), op(get("a"))));
  }

  @Test
  void putInsideADeletedRange() {
    assertError(() -> validator.checkTxn(txn(op(delete("a")), op(put("a", "1")))),
        StoreError.DUPLICATE_KEY);
    assertError(() -> validator.checkTxn(txn(op(put("abc", "1")), op(delete("ab", "ac")))),
        StoreError.DUPLICATE_KEY);
    assertError(() -> validator.checkTxn(txn(op(delete("m", "\0")), op(put("z", "1")))),
        StoreError.DUPLICATE_KEY);
    valid(txn(op(delete("ab", "ac")), op(put("ac", "1")), op(put("aa", "1"))));
    valid(txn(op(delete("a")), op(delete("a"))));
    valid(TxnRequest.newBuilder().addSuccess(op(delete("a", "z")))
        .addFailure(op(put("b", "1"))).build());
  }

  @Test
  void nestedTxnsOnOnePath() {
    // a nested put under an outer delete, or an outer put under a nested delete
    assertError(() -> validator.checkTxn(txn(op(delete("a", "c")), op(txn(op(put("b", "1")))))),
        StoreError.DUPLICATE_KEY);
    assertError(() -> validator.checkTxn(txn(op(put("b", "1")), op(txn(op(delete("a", "c")))))),
        StoreError.DUPLICATE_KEY);
    // the same key put at two levels, or by two nested txns
    assertError(() -> validator.checkTxn(txn(op(put("a", "1")), op(txn(op(put("a", "2")))))),
        StoreError.DUPLICATE_KEY);
    assertError(() -> validator.checkTxn(txn(op(txn(op(put("a", "1")))),
        op(txn(op(put("a", "2")))))), StoreError.DUPLICATE_KEY);
    // a nested txn's two branches may put the same key
    valid(txn(op(TxnRequest.newBuilder().addSuccess(op(put("a", "1")))
        .addFailure(op(put("a", "2"))).build())));
    valid(txn(op(put("a", "1")), op(txn(op(put("b", "1")), op(delete("c"))))));
  }
}
