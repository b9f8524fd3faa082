package io.keel.store.apply;


import static io.keel.store.apply.Protos.bytes;
import static io.keel.store.apply.Protos.kv;

import io.etcd.jetcd.api.AlarmMember;
import io.etcd.jetcd.api.AlarmRequest;
import io.etcd.jetcd.api.AlarmResponse;
import io.etcd.jetcd.api.AlarmType;
import io.etcd.jetcd.api.CompactionRequest;
import io.etcd.jetcd.api.CompactionResponse;
import io.etcd.jetcd.api.Compare;
import io.etcd.jetcd.api.DeleteRangeRequest;
import io.etcd.jetcd.api.DeleteRangeResponse;
import io.etcd.jetcd.api.LeaseGrantRequest;
import io.etcd.jetcd.api.LeaseGrantResponse;
import io.etcd.jetcd.api.LeaseRevokeRequest;
import io.etcd.jetcd.api.LeaseRevokeResponse;
import io.etcd.jetcd.api.Member;
import io.etcd.jetcd.api.MemberListResponse;
import io.etcd.jetcd.api.PutRequest;
import io.etcd.jetcd.api.PutResponse;
import io.etcd.jetcd.api.RangeRequest;
import io.etcd.jetcd.api.RangeResponse;
import io.etcd.jetcd.api.RequestOp;
import io.etcd.jetcd.api.ResponseHeader;
import io.etcd.jetcd.api.ResponseOp;
import io.etcd.jetcd.api.TxnRequest;
import io.etcd.jetcd.api.TxnResponse;
import io.keel.store.auth.AuthStore;
import io.keel.store.auth.RequestPermissions;
import io.keel.store.lease.Lease;
import io.keel.store.lease.Lessor;
import io.keel.store.mvcc.Bytes;
import io.keel.store.mvcc.KeyRange;
import io.keel.store.mvcc.KeyValue;
import io.keel.store.mvcc.MvccStore;
import io.keel.store.mvcc.RangeOptions;
import io.keel.store.mvcc.RangeResult;
import io.keel.store.mvcc.StoreError;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Iterator;
import java.util.List;

/**
 * Applies etcd requests to the MVCC store and the lessor, as etcd's applierV3 does. Runs on the
 * single apply thread (reads may run anywhere). Deterministic: every member that applies the same
 * commands in the same order ends in the same state. A refused request throws {@link
 * io.keel.store.mvcc.MvccException} before it changes anything.
 */
public final class Applier {
  private final MvccStore store;
  private final Lessor lessor;
  private final Alarms alarms;
  private final Members members;
  private final AuthStore auth;
  private final RequestPermissions permissions;
  private final long quotaBytes;

  public Applier(MvccStore store, Lessor lessor, Alarms alarms, long quotaBytes) {
    this(store, lessor, alarms, AuthStore.withDefaultTokens(), quotaBytes);
  }

  public Applier(MvccStore store, Lessor lessor, Alarms alarms, AuthStore auth,
      long quotaBytes) {
    this.store = store;
    this.lessor = lessor;
    this.alarms = alarms;
    this.members = new Members();
    this.auth = auth;
    this.permissions = new RequestPermissions(auth, lessor);
    this.quotaBytes = quotaBytes;
  }

  public AuthStore auth() {
    return auth;
  }

  /** The key permissions requests need, checked against {@link #auth()}. */
  public RequestPermissions permissions() {
    return permissions;
  }

  public Members members() {
    return members;
  }

  /** Kinds of membership change, applied as etcd's cluster API describes them. */
  public enum MemberChange { ADD, REMOVE, UPDATE, PUBLISH, PROMOTE }

  /** Applies a membership change; answers the member list after it. */
  public MemberListResponse member(MemberChange change, Member m) {
    switch (change) {
      case ADD -> members.add(m.getID(), m.getPeerURLsList(), m.getIsLearner());
      case REMOVE -> members.remove(m.getID());
      case UPDATE -> members.updatePeerUrls(m.getID(), m.getPeerURLsList());
      case PUBLISH -> members.publish(m.getID(), m.getName(), m.getClientURLsList());
      case PROMOTE -> members.promote(m.getID());
    }
    var resp = MemberListResponse.newBuilder().setHeader(header(store.currentRevision()));
    for (Members.Member each : members.all()) {
      resp.addMembers(each.toWire());
    }
    return resp.build();
  }

  public MvccStore store() {
    return store;
  }

  public Lessor lessor() {
    return lessor;
  }

  public Alarms alarms() {
    return alarms;
  }

  public RangeResponse range(RangeRequest r) {
    return rangeIn(null, r);
  }

  private RangeResponse rangeIn(MvccStore.WriteTxn txn, RangeRequest r) {
    long limit = r.getLimit();
    boolean fetchAll = r.getSortOrder() != RangeRequest.SortOrder.NONE
        || r.getMinModRevision() != 0 || r.getMaxModRevision() != 0
        || r.getMinCreateRevision() != 0 || r.getMaxCreateRevision() != 0;
    if (fetchAll) {
      limit = 0;
    }
    if (limit > 0) {
      limit++;
    }
    var options = new RangeOptions(limit, r.getRevision(), r.getCountOnly());
    KeyRange keys = Protos.range(r.getKey(), r.getRangeEnd());
    RangeResult rr = txn == null ? store.range(keys, options) : txn.range(keys, options);
    List<KeyValue> kvs = new ArrayList<>(rr.kvs());
    if (r.getMaxModRevision() != 0) {
      kvs.removeIf(kv -> kv.modRevision() > r.getMaxModRevision());
    }
    if (r.getMinModRevision() != 0) {
      kvs.removeIf(kv -> kv.modRevision() < r.getMinModRevision());
    }
    if (r.getMaxCreateRevision() != 0) {
      kvs.removeIf(kv -> kv.createRevision() > r.getMaxCreateRevision());
    }
    if (r.getMinCreateRevision() != 0) {
      kvs.removeIf(kv -> kv.createRevision() < r.getMinCreateRevision());
    }
    sort(kvs, r.getSortTarget(), r.getSortOrder());
    var resp = RangeResponse.newBuilder();
    if (r.getLimit() > 0 && kvs.size() > r.getLimit()) {
      kvs = kvs.subList(0, (int) r.getLimit());
      resp.setMore(true);
    }
    for (KeyValue kv : kvs) {
      resp.addKvs(kv(kv, r.getKeysOnly()));
    }
    return resp.setCount(rr.count()).setHeader(header(rr.revision())).build();
  }

  private static void sort(List<KeyValue> kvs, RangeRequest.SortTarget target,
      RangeRequest.SortOrder order) {
    if (target != RangeRequest.SortTarget.KEY && order == RangeRequest.SortOrder.NONE) {
      order = RangeRequest.SortOrder.ASCEND;
    }
    if (order == RangeRequest.SortOrder.NONE) {
      return;
    }
    Comparator<KeyValue> by = switch (target) {
      case VERSION -> Comparator.comparingLong(KeyValue::version);
      case CREATE -> Comparator.comparingLong(KeyValue::createRevision);
      case MOD -> Comparator.comparingLong(KeyValue::modRevision);
      case VALUE -> Comparator.comparing(KeyValue::value);
      default -> Comparator.comparing(KeyValue::key);
    };
    kvs.sort(order == RangeRequest.SortOrder.DESCEND ? by.reversed() : by);
  }

  public PutResponse put(PutRequest r) {
    checkQuota(r.getSerializedSize());
    checkPut(null, r);
    MvccStore.WriteTxn txn = store.beginWrite();
    try {
      return putIn(txn, r);
    } finally {
      txn.end();
    }
  }

  private void checkPut(MvccStore.WriteTxn txn, PutRequest r) {
    if (r.getLease() != 0 && !lessor.exists(r.getLease())) {
      throw StoreError.LEASE_NOT_FOUND.exception();
    }
    if (r.getIgnoreValue() || r.getIgnoreLease()) {
      Bytes key = bytes(r.getKey());
      KeyValue existing = txn == null
          ? first(store.range(KeyRange.single(key), RangeOptions.ALL))
          : txn.get(key);
      if (existing == null) {
        throw StoreError.KEY_NOT_FOUND.exception();
      }
    }
  }

  private static KeyValue first(RangeResult rr) {
    return rr.kvs().isEmpty() ? null : rr.kvs().get(0);
  }

  private PutResponse putIn(MvccStore.WriteTxn txn, PutRequest r) {
    Bytes key = bytes(r.getKey());
    KeyValue prev = txn.get(key);
    Bytes value = r.getIgnoreValue() ? prev.value() : bytes(r.getValue());
    long lease = r.getIgnoreLease() ? prev.lease() : r.getLease();
    txn.put(key, value, lease);
    if (prev != null && prev.lease() != 0 && prev.lease() != lease) {
      lessor.detach(prev.lease(), key);
    }
    if (lease != 0) {
      lessor.attach(lease, key);
    }
    var resp = PutResponse.newBuilder().setHeader(header(txn.revision()));
    if (r.getPrevKv() && prev != null) {
      resp.setPrevKv(kv(prev, false));
    }
    return resp.build();
  }

  public DeleteRangeResponse deleteRange(DeleteRangeRequest r) {
    MvccStore.WriteTxn txn = store.beginWrite();
    try {
      return deleteIn(txn, r);
    } finally {
      txn.end();
    }
  }

  private DeleteRangeResponse deleteIn(MvccStore.WriteTxn txn, DeleteRangeRequest r) {
    List<KeyValue> deleted = txn.deleteRange(Protos.range(r.getKey(), r.getRangeEnd()));
    var resp = DeleteRangeResponse.newBuilder().setDeleted(deleted.size());
    for (KeyValue kv : deleted) {
      if (kv.lease() != 0) {
        lessor.detach(kv.lease(), kv.key());
      }
      if (r.getPrevKv()) {
        resp.addPrevKvs(kv(kv, false));
      }
    }
    return resp.setHeader(header(txn.revision())).build();
  }

  public TxnResponse txn(TxnRequest r) {
    if (hasPut(r)) {
      checkQuota(r.getSerializedSize());
    }
    MvccStore.WriteTxn txn = store.beginWrite();
    try {
      List<Boolean> path = new ArrayList<>();
      comparePath(txn, r, path);
      checkOps(txn, r, path.iterator());
      return txnIn(txn, r, path.iterator(), false);
    } finally {
      txn.end();
    }
  }

  /**
   * Decides the branch of the txn and of every nested txn on it, in order, before anything is
   * written, as etcd's compareToPath: nested compares see the state before the txn.
   */
  private void comparePath(MvccStore.WriteTxn txn, TxnRequest r, List<Boolean> path) {
    boolean succeeded = compares(txn, r.getCompareList());
    path.add(succeeded);
    for (RequestOp op : succeeded ? r.getSuccessList() : r.getFailureList()) {
      if (op.hasRequestTxn()) {
        comparePath(txn, op.getRequestTxn(), path);
      }
    }
  }

  /** A nested txn's answer has an empty header, as etcd's (its own ops' answers have revisions). */
  private TxnResponse txnIn(MvccStore.WriteTxn txn, TxnRequest r, Iterator<Boolean> path,
      boolean nested) {
    boolean succeeded = path.next();
    var resp = TxnResponse.newBuilder().setSucceeded(succeeded);
    for (RequestOp op : succeeded ? r.getSuccessList() : r.getFailureList()) {
      resp.addResponses(switch (op.getRequestCase()) {
        case REQUEST_RANGE -> ResponseOp.newBuilder()
            .setResponseRange(rangeIn(txn, op.getRequestRange())).build();
        case REQUEST_PUT -> ResponseOp.newBuilder()
            .setResponsePut(putIn(txn, op.getRequestPut())).build();
        case REQUEST_DELETE_RANGE -> ResponseOp.newBuilder()
            .setResponseDeleteRange(deleteIn(txn, op.getRequestDeleteRange())).build();
        case REQUEST_TXN -> ResponseOp.newBuilder()
            .setResponseTxn(txnIn(txn, op.getRequestTxn(), path, true)).build();
        case REQUEST_NOT_SET -> ResponseOp.getDefaultInstance();
      });
    }
    return resp.setHeader(nested ? ResponseHeader.getDefaultInstance() : header(txn.revision()))
        .build();
  }

  private void checkOps(MvccStore.WriteTxn txn, TxnRequest r, Iterator<Boolean> path) {
    for (RequestOp op : path.next() ? r.getSuccessList() : r.getFailureList()) {
      if (op.hasRequestPut()) {
        checkPut(txn, op.getRequestPut());
      } else if (op.hasRequestTxn()) {
        checkOps(txn, op.getRequestTxn(), path);
      } else if (op.hasRequestRange()) {
        long rev = op.getRequestRange().getRevision();
        if (rev > store.currentRevision()) {
          throw StoreError.FUTURE_REV.exception();
        }
        if (rev > 0 && rev < store.compactRevision()) {
          throw StoreError.COMPACTED.exception();
        }
      }
    }
  }

  private static boolean hasPut(TxnRequest r) {
    return hasPut(r.getSuccessList()) || hasPut(r.getFailureList());
  }

  private static boolean hasPut(List<RequestOp> ops) {
    for (RequestOp op : ops) {
      if (op.hasRequestPut() || (op.hasRequestTxn() && hasPut(op.getRequestTxn()))) {
        return true;
      }
    }
    return false;
  }

  private boolean compares(MvccStore.WriteTxn txn, List<Compare> compares) {
    for (Compare c : compares) {
      if (!compare(txn, c)) {
        return false;
      }
    }
    return true;
  }

  private static boolean compare(MvccStore.WriteTxn txn, Compare c) {
    List<KeyValue> kvs =
        txn.range(Protos.range(c.getKey(), c.getRangeEnd()), RangeOptions.ALL).kvs();
    if (kvs.isEmpty()) {
      if (c.getTarget() == Compare.CompareTarget.VALUE) {
        return false;
      }
      return compareOne(c, new KeyValue(Bytes.EMPTY, 0, 0, 0, Bytes.EMPTY, 0));
    }
    for (KeyValue kv : kvs) {
      if (!compareOne(c, kv)) {
        return false;
      }
    }
    return true;
  }

  private static boolean compareOne(Compare c, KeyValue kv) {
    int cmp = switch (c.getTargetValue()) {
      case Compare.CompareTarget.VALUE_VALUE -> kv.value().compareTo(bytes(c.getValue()));
      case Compare.CompareTarget.CREATE_VALUE ->
          Long.compare(kv.createRevision(), c.getCreateRevision());
      case Compare.CompareTarget.MOD_VALUE -> Long.compare(kv.modRevision(), c.getModRevision());
      case Compare.CompareTarget.VERSION_VALUE -> Long.compare(kv.version(), c.getVersion());
      case WireExtras.COMPARE_TARGET_LEASE -> Long.compare(kv.lease(), WireExtras.compareLease(c));
      default -> 0;
    };
    return switch (c.getResult()) {
      case EQUAL -> cmp == 0;
      case NOT_EQUAL -> cmp != 0;
      case GREATER -> cmp > 0;
      case LESS -> cmp < 0;
      default -> false;
    };
  }

  public CompactionResponse compact(CompactionRequest r) {
    store.compact(r.getRevision());
    return CompactionResponse.newBuilder().setHeader(header(store.currentRevision())).build();
  }

  public LeaseGrantResponse leaseGrant(LeaseGrantRequest r) {
    checkQuota(r.getSerializedSize());
    Lease lease = lessor.grant(r.getID(), r.getTTL());
    return LeaseGrantResponse.newBuilder()
        .setID(lease.id()).setTTL(lease.ttlSeconds())
        .setHeader(header(store.currentRevision())).build();
  }

  /** Revokes the lease and deletes its keys in one revision. */
  public LeaseRevokeResponse leaseRevoke(LeaseRevokeRequest r) {
    Lease lease = lessor.revoke(r.getID());
    MvccStore.WriteTxn txn = store.beginWrite();
    try {
      for (Bytes key : lease.keys()) {
        txn.deleteRange(KeyRange.single(key));
      }
    } finally {
      txn.end();
    }
    return LeaseRevokeResponse.newBuilder().setHeader(header(store.currentRevision())).build();
  }

  /** As etcd 3.4's, the answer carries no header. */
  public AlarmResponse alarm(AlarmRequest r) {
    var resp = AlarmResponse.newBuilder();
    switch (r.getAction()) {
      case ACTIVATE -> {
        // UNRECOGNIZED: a type jetcd's enum lacks (etcd's CORRUPT) cannot be held or answered
        if (r.getAlarm() != AlarmType.NONE && r.getAlarm() != AlarmType.UNRECOGNIZED) {
          alarms.activate(r.getMemberID(), r.getAlarm());
          resp.addAlarms(member(r.getMemberID(), r.getAlarm()));
        }
      }
      case DEACTIVATE -> {
        if (alarms.deactivate(r.getMemberID(), r.getAlarm())) {
          resp.addAlarms(member(r.getMemberID(), r.getAlarm()));
        }
      }
      default -> alarms.list(r.getMemberID(), r.getAlarm())
          .forEach(a -> resp.addAlarms(member(a.memberId(), a.type())));
    }
    return resp.build();
  }

  private static AlarmMember member(long id, AlarmType type) {
    return AlarmMember.newBuilder().setMemberID(id).setAlarm(type).build();
  }

  private void checkQuota(long requestBytes) {
    if (alarms.isActive(AlarmType.NOSPACE)) {
      throw StoreError.NO_SPACE.exception();
    }
    if (store.sizeBytes() + requestBytes + 128 > quotaBytes) {
      alarms.activate(alarms.localMember(), AlarmType.NOSPACE);
      throw StoreError.NO_SPACE.exception();
    }
  }

  private static ResponseHeader header(long revision) {
    return ResponseHeader.newBuilder().setRevision(revision).build();
  }

}
