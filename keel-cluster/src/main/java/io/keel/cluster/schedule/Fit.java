package io.keel.cluster.schedule;

import io.keel.cluster.unit.Quantities;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * Whether a unit, or a MachineOf group (leader first, then followers), can go onto one machine as
 * things stand, and which replaced units would have to move off it first.
 */
final class Fit {

    /** The constraint that ruled a machine out. */
    enum Failure {
        MACHINE_ID("MachineID"),
        METADATA("MachineMetadata"),
        REPLACED("Replaces (a unit replacing it is there)"),
        UNMOVABLE_REPLACEE("Replaces (the replaced unit there cannot move)"),
        CONFLICTS("Conflicts"),
        RESOURCES("CPU/Memory capacity");

        final String label;

        Failure(String label) {
            this.label = label;
        }
    }

    /** The result for one machine: {@code failure == null} means it fits after {@code evictions}. */
    record Outcome(Failure failure, List<Entry> evictions) {
        static final Outcome OK = new Outcome(null, List.of());

        boolean fits() {
            return failure == null;
        }
    }

    private Fit() {
    }

    static Outcome check(List<Entry> members, Slot slot) {
        List<Entry> evictions = List.of();
        for (int i = 0; i < members.size(); i++) {
            Entry member = members.get(i);
            var requirements = member.job.requirements();
            if (!requirements.machineIdMatches(slot.id())) {
                return fail(Failure.MACHINE_ID);
            }
            if (!requirements.metadataMatches(slot.machine.metadata())) {
                return fail(Failure.METADATA);
            }
            for (Entry replacer : member.replacers) {
                if ((replacer.onMachine() && replacer.slot == slot) || members.subList(0, i).contains(replacer)) {
                    return fail(Failure.REPLACED);
                }
            }
            for (Entry replaced : member.replacees) {
                if (members.contains(replaced)) {
                    return fail(Failure.UNMOVABLE_REPLACEE);
                }
                if (replaced.onMachine() && replaced.slot == slot) {
                    if (!replaced.evictable()) {
                        return fail(Failure.UNMOVABLE_REPLACEE);
                    }
                    if (evictions.isEmpty()) {
                        evictions = new ArrayList<>(1);
                    }
                    if (!evictions.contains(replaced)) {
                        evictions.add(replaced);
                    }
                }
            }
        }
        long cpu = 0;
        long memory = 0;
        for (int i = 0; i < members.size(); i++) {
            Entry member = members.get(i);
            if (conflictsOnSlot(member, slot, evictions) || conflictsWithEarlier(members, i)) {
                return fail(Failure.CONFLICTS);
            }
            cpu += member.cpu();
            memory += member.memory();
        }
        for (Entry evicted : evictions) {
            cpu -= evicted.cpu();
            memory -= evicted.memory();
        }
        if (!slot.fits(cpu, memory)) {
            return fail(Failure.RESOURCES);
        }
        return evictions.isEmpty() ? Outcome.OK : new Outcome(null, List.copyOf(evictions));
    }

    /** Both directions: a unit there matches one of its patterns, or one of theirs matches it. */
    static boolean conflictsOnSlot(Entry entry, Slot slot, List<Entry> leaving) {
        for (int pattern : entry.conflictPatterns) {
            int count = slot.conflictMatches(pattern);
            for (Entry gone : leaving) {
                if (contains(gone.conflictMatchedBy, pattern)) {
                    count--;
                }
            }
            if (count > 0) {
                return true;
            }
        }
        for (int pattern : entry.conflictMatchedBy) {
            int count = slot.conflictHolders(pattern);
            for (Entry gone : leaving) {
                if (contains(gone.conflictPatterns, pattern)) {
                    count--;
                }
            }
            if (count > 0) {
                return true;
            }
        }
        return false;
    }

    private static boolean conflictsWithEarlier(List<Entry> members, int i) {
        Entry member = members.get(i);
        for (int j = 0; j < i; j++) {
            if (conflict(member, members.get(j))) {
                return true;
            }
        }
        return false;
    }

    /** True when either of the two units' Conflicts patterns matches the other. */
    static boolean conflict(Entry a, Entry b) {
        for (int pattern : a.conflictPatterns) {
            if (contains(b.conflictMatchedBy, pattern)) {
                return true;
            }
        }
        for (int pattern : b.conflictPatterns) {
            if (contains(a.conflictMatchedBy, pattern)) {
                return true;
            }
        }
        return false;
    }

    /** A one-line description of why no candidate machine fitted, by constraint. */
    static String describe(Map<Failure, Integer> failures, int candidates, Entry entry) {
        StringBuilder out = new StringBuilder("no machine can take it: ");
        boolean first = true;
        for (Map.Entry<Failure, Integer> failure : failures.entrySet()) {
            if (!first) {
                out.append(", ");
            }
            first = false;
            out.append(label(failure.getKey(), entry)).append(" rules out ").append(failure.getValue())
                    .append(" of ").append(candidates).append(candidates == 1 ? " machine" : " machines");
        }
        return out.toString();
    }

    /** The constraint as the unit spells it, e.g. {@code Conflicts=web@*.service}. */
    static String label(Failure failure, Entry entry) {
        var r = entry.job.requirements();
        return switch (failure) {
            case CONFLICTS -> r.conflicts().isEmpty()
                    ? "Conflicts (of units already there)"
                    : "Conflicts=" + String.join(" ", r.conflicts());
            case RESOURCES -> "free capacity for"
                    + (r.cpuMillis() > 0 ? " CPU=" + Quantities.formatCpu(r.cpuMillis()) : "")
                    + (r.memoryBytes() > 0 ? " Memory=" + Quantities.formatBytes(r.memoryBytes()) : "");
            default -> failure.label;
        };
    }

    private static boolean contains(int[] sorted, int value) {
        return Arrays.binarySearch(sorted, value) >= 0;
    }

    private static Outcome fail(Failure failure) {
        return new Outcome(failure, List.of());
    }
}
