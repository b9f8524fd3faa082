package io.keel.testkit.cluster;

import java.util.Map;
import java.util.TreeMap;

/**
 * What a simulated machine says about itself: the same fields a real node publishes at
 * {@code /keel/machines/<id>}.
 *
 * @param id machine id
 * @param publicIP its address (only reported, never contacted)
 * @param metadata {@code key=value} metadata
 * @param cpuMillis CPU capacity in millicores (0: not declared)
 * @param memoryBytes memory capacity in bytes (0: not declared)
 */
public record SimulatedMachine(String id, String publicIP, Map<String, String> metadata, long cpuMillis,
        long memoryBytes) {

    public SimulatedMachine {
        metadata = java.util.Collections.unmodifiableMap(new TreeMap<>(metadata));
    }

    public static SimulatedMachine of(String id, Map<String, String> metadata) {
        return new SimulatedMachine(id, "127.0.0.1", metadata, 0, 0);
    }

    public SimulatedMachine withCapacity(long cpuMillis, long memoryBytes) {
        return new SimulatedMachine(id, publicIP, metadata, cpuMillis, memoryBytes);
    }
}
