package io.keel.cluster.unit;

import java.util.Objects;

/**
 * One {@code Name=Value} assignment of a unit file, in the section it appears in. This is also the
 * element of fleet API v1's {@code options} array ({@code {"section","name","value"}}).
 */
public record UnitOption(String section, String name, String value) {

    public UnitOption {
        Objects.requireNonNull(section, "section");
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(value, "value");
    }
}
