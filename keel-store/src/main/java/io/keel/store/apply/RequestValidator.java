package io.keel.store.apply;

import io.etcd.jetcd.api.Compare;
import io.etcd.jetcd.api.DeleteRangeRequest;
import io.etcd.jetcd.api.PutRequest;
import io.etcd.jetcd.api.RangeRequest;
import io.etcd.jetcd.api.RequestOp;
import io.etcd.jetcd.api.TxnRequest;
import io.keel.store.mvcc.KeyRange;
import io.keel.store.mvcc.StoreError;
import java.util.ArrayList;
import java.util.List;

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
    checkIntervals(r.getSuccessList(), new ArrayList<>(), new ArrayList<>());
    checkIntervals(r.getFailureList(), new ArrayList<>(), new ArrayList<>());
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

  /** A txn branch may not put one key twice, nor put a key it also deletes. */
  private static void checkIntervals(List<RequestOp> ops, List<KeyRange> deletes,
      List<KeyRange> puts) {
    List<KeyRange> localDeletes = new ArrayList<>();
    List<KeyRange> localPuts = new ArrayList<>();
    for (RequestOp op : ops) {
      if (op.hasRequestDeleteRange()) {
        var d = op.getRequestDeleteRange();
        localDeletes.add(Protos.range(d.getKey(), d.getRangeEnd()));
      } else if (op.hasRequestPut()) {
        KeyRange put = KeyRange.single(Protos.bytes(op.getRequestPut().getKey()));
        if (localPuts.contains(put)) {
          throw StoreError.DUPLICATE_KEY.exception();
        }
        localPuts.add(put);
      }
    }
    for (KeyRange put : localPuts) {
      for (KeyRange del : localDeletes) {
        if (del.overlaps(put)) {
          throw StoreError.DUPLICATE_KEY.exception();
        }
      }
    }
    for (RequestOp op : ops) {
      if (op.hasRequestTxn()) {
        TxnRequest nested = op.getRequestTxn();
        List<KeyRange> allDeletes = new ArrayList<>(deletes);
        allDeletes.addAll(localDeletes);
        List<KeyRange> allPuts = new ArrayList<>(puts);
        allPuts.addAll(localPuts);
        checkIntervals(nested.getSuccessList(), allDeletes, allPuts);
        checkIntervals(nested.getFailureList(), allDeletes, allPuts);
      }
    }
    for (KeyRange put : localPuts) {
      if (puts.contains(put)) {
        throw StoreError.DUPLICATE_KEY.exception();
      }
      for (KeyRange del : deletes) {
        if (del.overlaps(put)) {
          throw StoreError.DUPLICATE_KEY.exception();
        }
      }
    }
  }
}
