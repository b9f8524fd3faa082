package io.keel.cluster.unit;

import java.util.ArrayList;
import java.util.List;

/**
 * Fleet's job states, desired and current. A unit moves only between adjacent states:
 * {@code inactive <-> loaded <-> launched}.
 */
public enum JobState {
    /** Known to the cluster, on no machine. */
    INACTIVE("inactive"),
    /** Scheduled to a machine and loaded into its init system, not started. */
    LOADED("loaded"),
    /** Loaded and started. */
    LAUNCHED("launched");

    private final String wireName;

    JobState(String wireName) {
        this.wireName = wireName;
    }

    /** The name fleet uses on the wire and in the CLI ({@code inactive}, {@code loaded}, {@code launched}). */
    public String wireName() {
        return wireName;
    }

    /**
     * The state with this wire name.
     *
     * @throws IllegalArgumentException naming the value and the accepted ones
     */
    public static JobState parse(String wireName) {
        for (JobState state : values()) {
            if (state.wireName.equals(wireName)) {
                return state;
            }
        }
        throw new IllegalArgumentException(
                "invalid job state \"" + wireName + "\": expected inactive, loaded or launched");
    }

    /**
     * The states to pass through, one adjacent step at a time, to get from {@code from} to
     * {@code to}: excludes {@code from}, ends with {@code to}, empty when they are equal. For example
     * {@code path(INACTIVE, LAUNCHED)} is {@code [LOADED, LAUNCHED]}.
     */
    public static List<JobState> path(JobState from, JobState to) {
        List<JobState> steps = new ArrayList<>();
        int step = Integer.signum(to.ordinal() - from.ordinal());
        for (int i = from.ordinal() + step; step != 0 && i != to.ordinal() + step; i += step) {
            steps.add(values()[i]);
        }
        return List.copyOf(steps);
    }
}
