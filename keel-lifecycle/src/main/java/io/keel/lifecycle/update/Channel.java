package io.keel.lifecycle.update;

import java.util.Locale;

/** A release channel; a machine follows exactly one. */
public enum Channel {
    ALPHA, BETA, STABLE;

    /** Parses {@code alpha}, {@code beta} or {@code stable}; anything else is refused by name. */
    public static Channel parse(String name) {
        if (name != null) {
            for (Channel c : values()) {
                if (c.id().equals(name)) {
                    return c;
                }
            }
        }
        throw new UpdateException("unknown channel \"" + name + "\": expected alpha, beta or stable");
    }

    public String id() {
        return name().toLowerCase(Locale.ROOT);
    }

    @Override
    public String toString() {
        return id();
    }
}
