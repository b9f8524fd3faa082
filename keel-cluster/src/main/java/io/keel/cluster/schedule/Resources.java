package io.keel.cluster.schedule;

/**
 * CPU (millicores) and memory (bytes). As a machine capacity, 0 in a dimension means unknown, which
 * the scheduler treats as unlimited; as a request, 0 means none requested.
 */
public record Resources(long cpuMillis, long memoryBytes) {

    public static final Resources NONE = new Resources(0, 0);

    public Resources {
        if (cpuMillis < 0 || memoryBytes < 0) {
            throw new IllegalArgumentException("resources must not be negative: cpu=" + cpuMillis
                    + "m memory=" + memoryBytes);
        }
    }

    public Resources plus(Resources other) {
        return new Resources(cpuMillis + other.cpuMillis, memoryBytes + other.memoryBytes);
    }

    /** True when {@code used + request} fits in this capacity (0 = unlimited, per dimension). */
    public boolean fits(Resources used, Resources request) {
        return fits(cpuMillis, used.cpuMillis, request.cpuMillis)
                && fits(memoryBytes, used.memoryBytes, request.memoryBytes);
    }

    static boolean fits(long capacity, long used, long request) {
        return capacity == 0 || request == 0 || used + request <= capacity;
    }
}
