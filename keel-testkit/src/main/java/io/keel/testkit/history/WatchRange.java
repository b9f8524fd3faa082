package io.keel.testkit.history;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Objects;

/**
 * The keys a watch covers, as etcd's {@code key}/{@code range_end}: one key when
 * {@code rangeEnd} is {@code null}, every key at or after {@code key} when it is {@code "\0"},
 * else {@code [key, rangeEnd)} in byte order.
 */
public record WatchRange(String key, String rangeEnd) {

    public WatchRange {
        Objects.requireNonNull(key, "key");
    }

    public static WatchRange key(String key) {
        return new WatchRange(key, null);
    }

    /** Every key starting with {@code prefix} (etcd's {@code --prefix}). */
    public static WatchRange prefix(String prefix) {
        byte[] end = prefix.getBytes(StandardCharsets.UTF_8);
        for (int i = end.length - 1; i >= 0; i--) {
            if (end[i] != (byte) 0xff) {
                end[i]++;
                return new WatchRange(prefix, new String(Arrays.copyOf(end, i + 1), StandardCharsets.ISO_8859_1));
            }
        }
        return new WatchRange(prefix, "\0");
    }

    public boolean contains(String candidate) {
        if (rangeEnd == null) {
            return key.equals(candidate);
        }
        byte[] k = candidate.getBytes(StandardCharsets.UTF_8);
        if (Arrays.compareUnsigned(k, key.getBytes(StandardCharsets.UTF_8)) < 0) {
            return false;
        }
        return rangeEnd.equals("\0")
                || Arrays.compareUnsigned(k, rangeEnd.getBytes(StandardCharsets.ISO_8859_1)) < 0;
    }

    @Override
    public String toString() {
        if (rangeEnd == null) {
            return key;
        }
        return rangeEnd.equals("\0") ? "[" + key + ", end)" : "[" + key + ", " + rangeEnd + ")";
    }
}
