package io.keel.cluster.schedule;

import java.util.Collections;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * What the scheduler decided, keyed by unit name and sorted by it. Units that stay where they are
 * appear nowhere.
 *
 * @param place units to write onto a machine: unplaced units, and units that move (their machine
 *     went away, they stopped being eligible there, or a unit replacing them took the machine)
 * @param unschedule units to take off their current machine without a new one (machine gone or no
 *     longer eligible and nowhere else to go, desired state inactive, unit destroyed, global units);
 *     disjoint from {@code place}
 * @param unschedulable units that should run but cannot be placed now, with a reason that names
 *     the constraint that failed; disjoint from {@code place}. These wait, and are placed by a later
 *     call when the cluster changes.
 */
public record Decisions(Map<String, String> place, Set<String> unschedule, Map<String, String> unschedulable) {

    public Decisions {
        place = Collections.unmodifiableSortedMap(new TreeMap<>(place));
        unschedule = Collections.unmodifiableSortedSet(new TreeSet<>(unschedule));
        unschedulable = Collections.unmodifiableSortedMap(new TreeMap<>(unschedulable));
    }

    /** True when nothing is to be written. */
    public boolean isEmpty() {
        return place.isEmpty() && unschedule.isEmpty();
    }
}
