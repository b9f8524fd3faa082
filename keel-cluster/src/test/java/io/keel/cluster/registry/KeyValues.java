package io.keel.cluster.registry;

import com.google.protobuf.ByteString;
import io.etcd.jetcd.ByteSequence;
import io.etcd.jetcd.KeyValue;
import java.nio.charset.StandardCharsets;

/** Builds jetcd key-values as a store would return them, for tests without a store. */
public final class KeyValues {

    private KeyValues() {}

    public static KeyValue kv(String key, String value, long createRevision, long modRevision, long lease) {
        return new KeyValue(io.etcd.jetcd.api.KeyValue.newBuilder()
                .setKey(ByteString.copyFrom(key, StandardCharsets.UTF_8))
                .setValue(ByteString.copyFrom(value, StandardCharsets.UTF_8))
                .setCreateRevision(createRevision)
                .setModRevision(modRevision)
                .setVersion(1)
                .setLease(lease)
                .build(), ByteSequence.EMPTY);
    }

    public static KeyValue kv(String key, Object record, long modRevision) {
        return kv(key, Codec.encode(record).toString(StandardCharsets.UTF_8), modRevision, modRevision, 0);
    }
}
