package io.keel.cluster.registry;

import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * A submitted unit at {@code /keel/units/<name>}. The unit file and its hash never change once
 * submitted (a new version replaces the record as a whole); only {@code desiredState} is updated.
 *
 * @param name the unit name
 * @param unitFile the unit file text
 * @param hash the unit file's hash (hex)
 * @param desiredState {@code inactive}, {@code loaded} or {@code launched}
 */
public record UnitRecord(
        @JsonProperty("name") String name,
        @JsonProperty("unitFile") String unitFile,
        @JsonProperty("hash") String hash,
        @JsonProperty("desiredState") String desiredState) {

    public UnitRecord withDesiredState(String state) {
        return new UnitRecord(name, unitFile, hash, state);
    }
}
