package io.keel.store.apply;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.protobuf.ByteString;
import com.google.protobuf.UnknownFieldSet;
import io.etcd.jetcd.api.Compare;
import io.etcd.jetcd.api.DeleteRangeRequest;
import io.etcd.jetcd.api.PutRequest;
import io.etcd.jetcd.api.RangeRequest;
import io.etcd.jetcd.api.RequestOp;
import io.etcd.jetcd.api.TxnRequest;
import io.keel.store.mvcc.MvccException;
import io.keel.store.mvcc.StoreError;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;

/** Short builders for etcd requests in tests. */
public final class Requests {
  private Requests() {}

  public static ByteString bs(String s) {
    return ByteString.copyFromUtf8(s);
  }

  public static PutRequest put(String key, String value) {
    return PutRequest.newBuilder().setKey(bs(key)).setValue(bs(value)).build();
  }

  public static PutRequest put(String key, String value, long lease) {
    return PutRequest.newBuilder().setKey(bs(key)).setValue(bs(value)).setLease(lease).build();
  }

  public static RangeRequest get(String key) {
    return RangeRequest.newBuilder().setKey(bs(key)).build();
  }

  public static RangeRequest.Builder range(String key, String end) {
    return RangeRequest.newBuilder().setKey(bs(key)).setRangeEnd(bs(end));
  }

  public static DeleteRangeRequest delete(String key) {
    return DeleteRangeRequest.newBuilder().setKey(bs(key)).build();
  }

  public static DeleteRangeRequest delete(String key, String end) {
    return DeleteRangeRequest.newBuilder().setKey(bs(key)).setRangeEnd(bs(end)).build();
  }

  public static RequestOp op(PutRequest r) {
    return RequestOp.newBuilder().setRequestPut(r).build();
  }

  public static RequestOp op(RangeRequest r) {
    return RequestOp.newBuilder().setRequestRange(r).build();
  }

  public static RequestOp op(DeleteRangeRequest r) {
    return RequestOp.newBuilder().setRequestDeleteRange(r).build();
  }

  public static RequestOp op(TxnRequest r) {
    return RequestOp.newBuilder().setRequestTxn(r).build();
  }

  public static Compare.Builder compare(String key, Compare.CompareResult result) {
    return Compare.newBuilder().setKey(bs(key)).setResult(result);
  }

  public static Compare value(String key, Compare.CompareResult result, String value) {
    return compare(key, result).setTarget(Compare.CompareTarget.VALUE).setValue(bs(value)).build();
  }

  public static Compare version(String key, Compare.CompareResult result, long version) {
    return compare(key, result).setTarget(Compare.CompareTarget.VERSION).setVersion(version)
        .build();
  }

  public static Compare create(String key, Compare.CompareResult result, long revision) {
    return compare(key, result).setTarget(Compare.CompareTarget.CREATE)
        .setCreateRevision(revision).build();
  }

  public static Compare mod(String key, Compare.CompareResult result, long revision) {
    return compare(key, result).setTarget(Compare.CompareTarget.MOD).setModRevision(revision)
        .build();
  }

  /** etcd 3.4's LEASE target (4) and lease field (8), which jetcd-grpc does not know. */
  public static Compare lease(String key, Compare.CompareResult result, long lease) {
    return compare(key, result).setTargetValue(4)
        .setUnknownFields(UnknownFieldSet.newBuilder()
            .addField(8, UnknownFieldSet.Field.newBuilder().addVarint(lease).build()).build())
        .build();
  }

  public static void assertError(ThrowingCallable call, StoreError error) {
    assertThatThrownBy(call).isInstanceOf(MvccException.class)
        .extracting(e -> ((MvccException) e).error()).isEqualTo(error);
  }
}
