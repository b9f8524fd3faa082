package io.keel.cluster.unit;

import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * What a unit asks of the machine it runs on, read from its {@code [X-Fleet]} section with fleet's
 * semantics, plus Keel's resource requests and spread.
 *
 * @param machineId {@code MachineID}: the full machine id, or its first 8 characters
 * @param machineOf {@code MachineOf}: units that must be on the same machine (all of them)
 * @param machineMetadata {@code MachineMetadata}: key to accepted values; a machine must match
 *     every key (AND) with any of its values (OR)
 * @param conflicts {@code Conflicts}: globs of unit names that must not share this unit's machine
 *     (and that this unit must not join)
 * @param global {@code Global}: run on every machine matching {@code machineMetadata}
 * @param replaces {@code Replaces}: globs of units that must not share this unit's machine; when
 *     they do, the replaced unit is the one that moves
 * @param cpuMillis {@code CPU}: requested millicores (0 = none requested)
 * @param memoryBytes {@code Memory}: requested bytes (0 = none requested)
 * @param spread {@code Spread}: a machine metadata key across whose values the instances of this
 *     unit's template are spread evenly
 */
public record Requirements(
        Optional<String> machineId,
        List<String> machineOf,
        Map<String, List<String>> machineMetadata,
        List<String> conflicts,
        boolean global,
        List<String> replaces,
        long cpuMillis,
        long memoryBytes,
        Optional<String> spread) {

    /** The unit file section fleet reads requirements from. */
    public static final String SECTION = "X-Fleet";

    private static final Requirements NONE =
            new Requirements(Optional.empty(), List.of(), Map.of(), List.of(), false, List.of(), 0, 0, Optional.empty());

    public Requirements {
        Objects.requireNonNull(machineId, "machineId");
        Objects.requireNonNull(spread, "spread");
        machineOf = List.copyOf(machineOf);
        conflicts = List.copyOf(conflicts);
        replaces = List.copyOf(replaces);
        machineMetadata = copyOf(machineMetadata);
        if (cpuMillis < 0 || memoryBytes < 0) {
            throw new IllegalArgumentException("resource requests must not be negative");
        }
    }

    /** A unit without requirements. */
    public static Requirements none() {
        return NONE;
    }

    /**
     * Reads and validates the {@code [X-Fleet]} section of {@code file} for the unit {@code name},
     * expanding {@code %n %N %p %i} against that name.
     *
     * @throws UnitFileException naming the unit and the key: unknown keys, malformed values, and
     *     requirements that contradict each other (such as {@code Global=true} with
     *     {@code MachineOf})
     */
    public static Requirements of(UnitName name, UnitFile file) {
        try {
            return RequirementsReader.read(name, file);
        } catch (UnitFileException e) {
            throw e.inUnit(name.value());
        }
    }

    /** True when a machine with this id satisfies {@code MachineID} (full id or 8-character short id). */
    public boolean machineIdMatches(String id) {
        return machineId.isEmpty() || machineId.get().equals(id) || machineId.get().equals(shortId(id));
    }

    /** True when a machine with this metadata satisfies {@code MachineMetadata}. */
    public boolean metadataMatches(Map<String, String> metadata) {
        for (Map.Entry<String, List<String>> required : machineMetadata.entrySet()) {
            String actual = metadata.get(required.getKey());
            if (actual == null || !required.getValue().contains(actual)) {
                return false;
            }
        }
        return true;
    }

    /** Fleet's short machine id: the first 8 characters. */
    public static String shortId(String machineId) {
        return machineId.length() <= 8 ? machineId : machineId.substring(0, 8);
    }

    private static Map<String, List<String>> copyOf(Map<String, List<String>> metadata) {
        var copy = new java.util.LinkedHashMap<String, List<String>>();
        metadata.forEach((k, v) -> copy.put(k, List.copyOf(v)));
        return java.util.Collections.unmodifiableMap(copy);
    }
}
