package io.keel.testkit.history;

import java.util.Objects;

/**
 * A key's value as a client saw it: the value and its {@code mod_revision} (the revision of the
 * write that stored it). A missing key is represented by {@code null}, never by a
 * {@code Versioned}.
 */
public record Versioned(String value, long modRevision) {

    public Versioned {
        Objects.requireNonNull(value, "value");
        if (modRevision <= 0) {
            throw new IllegalArgumentException("mod_revision must be positive, not " + modRevision);
        }
    }

    @Override
    public String toString() {
        return "\"" + value + "\"@" + modRevision;
    }
}
