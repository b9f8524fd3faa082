package io.keel.cluster.unit;

/**
 * A unit file, unit name or {@code [X-Fleet]} requirement that Keel cannot accept. The message is one
 * line that names what is wrong (the unit, the key, the line) so the CLI can print it as is and the
 * API can return it as a 400.
 */
public final class UnitFileException extends RuntimeException {

    public UnitFileException(String message) {
        super(message);
    }

    /** The same problem, prefixed with the unit it was found in. */
    public UnitFileException inUnit(String unitName) {
        return new UnitFileException("unit " + unitName + ": " + getMessage());
    }
}
