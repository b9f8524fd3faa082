package io.keel.cluster.schedule;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * One machine during a scheduling run: what is on it so far and how loaded it is. Mutated only
 * through {@link LoadIndex#change}, which keeps the load orderings consistent.
 */
final class Slot {

    /** Least loaded first: fewer units, then smaller dominant resource share, then machine id. */
    static final Comparator<Slot> BY_LOAD = (a, b) -> {
        if (a.units != b.units) {
            return Integer.compare(a.units, b.units);
        }
        int byShare = Double.compare(a.share, b.share);
        return byShare != 0 ? byShare : Integer.compare(a.index, b.index);
    };

    final int index;
    final Machine machine;
    int units;
    long cpuUsed;
    long memoryUsed;
    /** The larger of the CPU and memory fractions in use; see {@link #refreshShare()}. */
    double share;
    /** Pattern id -> number of units here whose name the pattern matches. */
    final Map<Integer, Integer> conflictMatches = new HashMap<>();
    /** Pattern id -> number of units here that declare the pattern in Conflicts. */
    final Map<Integer, Integer> conflictHolders = new HashMap<>();
    /** The load classes this slot is a member of. */
    final List<LoadIndex.LoadClass> classes = new ArrayList<>(2);

    Slot(int index, Machine machine) {
        this.index = index;
        this.machine = machine;
    }

    String id() {
        return machine.id();
    }

    /** True when {@code used + cpu/memory} still fits (0 capacity = unlimited). */
    boolean fits(long cpu, long memory) {
        Resources capacity = machine.capacity();
        return Resources.fits(capacity.cpuMillis(), cpuUsed, cpu)
                && Resources.fits(capacity.memoryBytes(), memoryUsed, memory);
    }

    /** Recomputes {@link #share} after the used resources changed (unlimited dimensions count 0). */
    void refreshShare() {
        Resources capacity = machine.capacity();
        double cpu = capacity.cpuMillis() == 0 ? 0 : (double) cpuUsed / capacity.cpuMillis();
        double memory = capacity.memoryBytes() == 0 ? 0 : (double) memoryUsed / capacity.memoryBytes();
        share = Math.max(cpu, memory);
    }

    int conflictMatches(int pattern) {
        return conflictMatches.getOrDefault(pattern, 0);
    }

    int conflictHolders(int pattern) {
        return conflictHolders.getOrDefault(pattern, 0);
    }

    @Override
    public String toString() {
        return machine.id();
    }
}
