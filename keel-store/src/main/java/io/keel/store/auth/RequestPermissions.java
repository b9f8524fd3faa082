package io.keel.store.auth;

import com.google.protobuf.ByteString;
import io.etcd.jetcd.api.Compare;
import io.etcd.jetcd.api.DeleteRangeRequest;
import io.etcd.jetcd.api.Permission;
import io.etcd.jetcd.api.PutRequest;
import io.etcd.jetcd.api.RangeRequest;
import io.etcd.jetcd.api.RequestOp;
import io.etcd.jetcd.api.TxnRequest;
import io.keel.store.lease.Lease;
import io.keel.store.lease.Lessor;
import io.keel.store.mvcc.Bytes;
import java.util.List;

/**
 * The key permissions a KV or lease request needs, checked as etcd's authApplierV3 checks them:
 * a put needs write on its key (and read with prev_kv); a delete write on its range (and read
 * with prev_kv); a txn read on every compared key and what each op of both branches needs; a
 * lease revoke, or a put attaching a lease, write on every key the lease holds.
 */
public final class RequestPermissions {
  private static final Permission.Type READ = Permission.Type.READ;
  private static final Permission.Type WRITE = Permission.Type.WRITE;

  private final AuthStore auth;
  private final Lessor lessor;

  public RequestPermissions(AuthStore auth, Lessor lessor) {
    this.auth = auth;
    this.lessor = lessor;
  }

  public void range(Caller caller, RangeRequest r) {
    auth.checkKeys(caller, READ, r.getKey(), r.getRangeEnd());
  }

  public void put(Caller caller, PutRequest r) {
    auth.checkKeys(caller, WRITE, r.getKey(), ByteString.EMPTY);
    leaseKeys(caller, r.getLease());
    if (r.getPrevKv()) {
      auth.checkKeys(caller, READ, r.getKey(), ByteString.EMPTY);
    }
  }

  public void deleteRange(Caller caller, DeleteRangeRequest r) {
    auth.checkKeys(caller, WRITE, r.getKey(), r.getRangeEnd());
    if (r.getPrevKv()) {
      auth.checkKeys(caller, READ, r.getKey(), r.getRangeEnd());
    }
  }

  public void txn(Caller caller, TxnRequest r) {
    for (Compare c : r.getCompareList()) {
      auth.checkKeys(caller, READ, c.getKey(), c.getRangeEnd());
    }
    ops(caller, r.getSuccessList());
    ops(caller, r.getFailureList());
  }

  private void ops(Caller caller, List<RequestOp> ops) {
    for (RequestOp op : ops) {
      switch (op.getRequestCase()) {
        case REQUEST_RANGE -> range(caller, op.getRequestRange());
        case REQUEST_PUT -> auth.checkKeys(caller, WRITE, op.getRequestPut().getKey(),
            ByteString.EMPTY);
        case REQUEST_DELETE_RANGE -> deleteRange(caller, op.getRequestDeleteRange());
        case REQUEST_TXN -> txn(caller, op.getRequestTxn());
        case REQUEST_NOT_SET -> { }
      }
    }
  }

  public void leaseRevoke(Caller caller, long leaseId) {
    leaseKeys(caller, leaseId);
  }

  private void leaseKeys(Caller caller, long leaseId) {
    if (leaseId == 0 || auth.isAdmin(caller)) {
      return;
    }
    Lease lease = lessor.lookup(leaseId).orElse(null);
    if (lease == null) {
      return;
    }
    for (Bytes key : lease.keys()) {
      auth.checkKeys(caller, WRITE, ByteString.copyFrom(key.array()), ByteString.EMPTY);
    }
  }
}
