package io.keel.cluster.schedule;

import java.util.Map;
import java.util.Objects;

/**
 * A machine that can run units, as the scheduler sees it.
 *
 * @param id the full machine id
 * @param metadata its {@code key=value} metadata, matched by {@code MachineMetadata} and {@code Spread}
 * @param capacity what it can give to units; 0 in a dimension means unlimited
 */
public record Machine(String id, Map<String, String> metadata, Resources capacity) {

    public Machine {
        Objects.requireNonNull(id, "id");
        metadata = Map.copyOf(metadata);
        capacity = capacity == null ? Resources.NONE : capacity;
    }

    /** A machine with metadata and unlimited capacity. */
    public static Machine of(String id, Map<String, String> metadata) {
        return new Machine(id, metadata, Resources.NONE);
    }
}
