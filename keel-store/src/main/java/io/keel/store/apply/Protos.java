package io.keel.store.apply;

import com.google.protobuf.ByteString;
import com.google.protobuf.UnsafeByteOperations;
import io.keel.store.mvcc.Bytes;
import io.keel.store.mvcc.Event;
import io.keel.store.mvcc.KeyRange;
import io.keel.store.mvcc.KeyValue;

/** Conversions between etcd's wire messages and the store's own records. */
public final class Protos {
  private Protos() {}

  public static Bytes bytes(ByteString s) {
    return Bytes.wrap(s.toByteArray());
  }

  public static ByteString byteString(Bytes b) {
    return b.isEmpty() ? ByteString.EMPTY : UnsafeByteOperations.unsafeWrap(b.array());
  }

  public static KeyRange range(ByteString key, ByteString end) {
    return new KeyRange(bytes(key), bytes(end));
  }

  public static io.etcd.jetcd.api.KeyValue kv(KeyValue kv, boolean keysOnly) {
    var b = io.etcd.jetcd.api.KeyValue.newBuilder()
        .setKey(byteString(kv.key()))
        .setCreateRevision(kv.createRevision())
        .setModRevision(kv.modRevision())
        .setVersion(kv.version())
        .setLease(kv.lease());
    if (!keysOnly) {
      b.setValue(byteString(kv.value()));
    }
    return b.build();
  }

  public static io.etcd.jetcd.api.Event event(Event e, boolean withPrevKv) {
    var b = io.etcd.jetcd.api.Event.newBuilder()
        .setType(e.type() == Event.Type.PUT
            ? io.etcd.jetcd.api.Event.EventType.PUT : io.etcd.jetcd.api.Event.EventType.DELETE)
        .setKv(kv(e.kv(), false));
    if (withPrevKv && e.prevKv() != null) {
      b.setPrevKv(kv(e.prevKv(), false));
    }
    return b.build();
  }
}
