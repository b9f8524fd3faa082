package io.keel.testkit.history;

import java.util.Objects;

/** One event of a watch response: the key changed at {@code revision} (its mod_revision). */
public record WatchEvent(long revision, String key, Type type, String value) {

    public enum Type { PUT, DELETE }

    public WatchEvent {
        Objects.requireNonNull(key, "key");
        Objects.requireNonNull(type, "type");
        if (type == Type.PUT) {
            Objects.requireNonNull(value, "a PUT event has a value");
        }
    }

    public static WatchEvent put(long revision, String key, String value) {
        return new WatchEvent(revision, key, Type.PUT, value);
    }

    public static WatchEvent delete(long revision, String key) {
        return new WatchEvent(revision, key, Type.DELETE, null);
    }

    @Override
    public String toString() {
        return type == Type.PUT ? "PUT " + key + "=\"" + value + "\"@" + revision : "DELETE " + key + "@" + revision;
    }
}
