package io.keel.cluster.registry;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.etcd.jetcd.ByteSequence;

/** JSON encoding of the records stored under {@code /keel/}. */
public final class Codec {

    private static final ObjectMapper MAPPER = new ObjectMapper()
            .configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false);

    private Codec() {}

    public static ByteSequence encode(Object record) {
        try {
            return ByteSequence.from(MAPPER.writeValueAsBytes(record));
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("cannot encode " + record, e);
        }
    }

    /** Decodes {@code bytes}; a malformed value is a {@link RegistryException} naming the key. */
    public static <T> T decode(String key, ByteSequence bytes, Class<T> type) {
        try {
            return MAPPER.readValue(bytes.getBytes(), type);
        } catch (java.io.IOException | IllegalArgumentException e) {
            throw new RegistryException("malformed " + type.getSimpleName() + " at " + key + ": "
                    + e.getMessage().lines().findFirst().orElse(""));
        }
    }
}
