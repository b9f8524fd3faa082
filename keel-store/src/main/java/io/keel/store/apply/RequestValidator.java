package io.keel.store.apply;

import io.etcd.jetcd.api.Compare;
import io.etcd.jetcd.api.DeleteRangeRequest;
import io.etcd.jetcd.api.PutRequest;
import io.etcd.jetcd.api.RangeRequest;
import io.etcd.jetcd.api.RequestOp;
import io.etcd.jetcd.api.TxnRequest;
import io.keel.store.mvcc.Bytes;
import io.keel.store.mvcc.KeyRange;
import io.keel.store.mvcc.StoreError;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/** The checks etcd makes before a request is proposed (etcd's v3rpc/key.go). */
public final class RequestValidator {
  private final int maxTxnOps;

  public RequestValidator(int maxTxnOps) {
    this.maxTxnOps = maxTxnOps;
  }

  public void checkRange(RangeRequest r) {
    if (r.getKey().isEmpty()) {
      throw StoreError.EMPTY_KEY.exception();
    }
    if (r.getSortOrder() == RangeRequest.SortOrder.UNRECOGNIZED
        || r.getSortTarget() == RangeRequest.SortTarget.UNRECOGNIZED) {
      throw StoreError.INVALID_SORT_OPTION.exception();
    }
  }

  public void checkPut(PutRequest r) {
    if (r.getKey().isEmpty()) {
      throw StoreError.EMPTY_KEY.exception();
    }
    if (r.getIgnoreValue() && !r.getValue().isEmpty()) {
      throw StoreError.VALUE_PROVIDED.exception();
    }
    if (r.getIgnoreLease() && r.getLease() != 0) {
      throw StoreError.LEASE_PROVIDED.exception();
    }
  }

  public void checkDelete(DeleteRangeRequest r) {
    if (r.getKey().isEmpty()) {
      throw StoreError.EMPTY_KEY.exception();
    }
  }

  public void checkTxn(TxnRequest r) {
    checkTxn(r, maxTxnOps);
    checkIntervals(r.getSuccessList(), new ArrayList<>());
    checkIntervals(r.getFailureList(), new ArrayList<>());
  }

  private void checkTxn(TxnRequest r, int allowedOps) {
    int ops = Math.max(r.getCompareCount(), Math.max(r.getSuccessCount(), r.getFailureCount()));
    if (ops > allowedOps) {
      throw StoreError.TOO_MANY_OPS.exception();
    }
    for (Compare c : r.getCompareList()) {
      if (c.getKey().isEmpty()) {
        throw StoreError.EMPTY_KEY.exception();
      }
    }
    for (RequestOp op : r.getSuccessList()) {
      checkOp(op, allowedOps - ops);
    }
    for (RequestOp op : r.getFailureList()) {
      checkOp(op, allowedOps - ops);
    }
  }

  private void checkOp(RequestOp op, int allowedOps) {
    switch (op.getRequestCase()) {
      case REQUEST_RANGE -> checkRange(op.getRequestRange());
      case REQUEST_PUT -> checkPut(op.getRequestPut());
      case REQUEST_DELETE_RANGE -> checkDelete(op.getRequestDeleteRange());
      case REQUEST_TXN -> checkTxn(op.getRequestTxn(), allowedOps);
      case REQUEST_NOT_SET -> throw StoreError.KEY_NOT_FOUND.exception();
    }
  }

  /**
   * A txn path may not put one key twice, nor put a key it also deletes (etcd's checkIntervals).
   * Returns the keys the ops put, and adds the ranges they delete to {@code deletes}. The success
   * and failure branches of a nested txn exclude each other, so both may put the same key.
   */
  private static Set<Bytes> checkIntervals(List<RequestOp> ops, List<KeyRange> deletes) {
    for (RequestOp op : ops) {
      if (op.hasRequestDeleteRange()) {
        var d = op.getRequestDeleteRange();
        deletes.add(Protos.range(d.getKey(), d.getRangeEnd()));
      }
    }
    Set<Bytes> puts = new HashSet<>();
    for (RequestOp op : ops) {
      if (!op.hasRequestTxn()) {
        continue;
      }
      TxnRequest nested = op.getRequestTxn();
      List<KeyRange> thenDeletes = new ArrayList<>();
      List<KeyRange> elseDeletes = new ArrayList<>();
      Set<Bytes> thenPuts = checkIntervals(nested.getSuccessList(), thenDeletes);
      Set<Bytes> elsePuts = checkIntervals(nested.getFailureList(), elseDeletes);
      for (Bytes key : thenPuts) {
        if (puts.contains(key) || deletesKey(deletes, key)) {
          throw StoreError.DUPLICATE_KEY.exception();
        }
      }
      for (Bytes key : elsePuts) {
        if ((puts.contains(key) && !thenPuts.contains(key)) || deletesKey(deletes, key)) {
          throw StoreError.DUPLICATE_KEY.exception();
        }
      }
      puts.addAll(thenPuts);
      puts.addAll(elsePuts);
      deletes.addAll(thenDeletes);
      deletes.addAll(elseDeletes);
    }
    for (RequestOp op : ops) {
      if (op.hasRequestPut()) {
        Bytes key = Protos.bytes(op.getRequestPut().getKey());
        if (puts.contains(key) || deletesKey(deletes, key)) {
          throw StoreError.DUPLICATE_KEY.exception();
        }
        puts.add(key);
      }
    }
    return puts;
  }

  private static boolean deletesKey(List<KeyRange> deletes, Bytes key) {
    for (KeyRange del : deletes) {
      if (del.contains(key)) {
        return true;
      }
    }
    return false;
  }
}
