package io.keel.store.apply;

import com.google.protobuf.Message;
import com.google.protobuf.UnknownFieldSet;
import java.util.List;

/**
 * Fields of etcd 3.4's rpc.proto that jetcd-grpc's generated classes predate. Protobuf keeps
 * them as unknown fields, so they are read and written here by field number.
 */
public final class WireExtras {
  /** Compare.target LEASE and Compare.lease (field 8). */
  public static final int COMPARE_TARGET_LEASE = 4;
  private static final int COMPARE_LEASE_FIELD = 8;
  private static final int WATCH_CREATE_WATCH_ID_FIELD = 7;
  private static final int WATCH_CREATE_FRAGMENT_FIELD = 8;
  private static final int WATCH_RESPONSE_FRAGMENT_FIELD = 7;

  private WireExtras() {}

  public static long compareLease(io.etcd.jetcd.api.Compare c) {
    return varint(c, COMPARE_LEASE_FIELD);
  }

  public static long requestedWatchId(io.etcd.jetcd.api.WatchCreateRequest r) {
    return varint(r, WATCH_CREATE_WATCH_ID_FIELD);
  }

  public static boolean fragment(io.etcd.jetcd.api.WatchCreateRequest r) {
    return varint(r, WATCH_CREATE_FRAGMENT_FIELD) != 0;
  }

  public static io.etcd.jetcd.api.WatchResponse.Builder markFragment(
      io.etcd.jetcd.api.WatchResponse.Builder b) {
    return b.setUnknownFields(UnknownFieldSet.newBuilder()
        .addField(WATCH_RESPONSE_FRAGMENT_FIELD,
            UnknownFieldSet.Field.newBuilder().addVarint(1).build())
        .build());
  }

  private static long varint(Message m, int field) {
    UnknownFieldSet unknown = m.getUnknownFields();
    if (!unknown.hasField(field)) {
      return 0;
    }
    List<Long> values = unknown.getField(field).getVarintList();
    return values.isEmpty() ? 0 : values.get(values.size() - 1);
  }
}
