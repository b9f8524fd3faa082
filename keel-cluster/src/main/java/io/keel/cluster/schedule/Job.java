package io.keel.cluster.schedule;

import io.keel.cluster.unit.JobState;
import io.keel.cluster.unit.Requirements;
import io.keel.cluster.unit.UnitName;
import java.util.Objects;

/**
 * A submitted unit as the scheduler sees it.
 *
 * @param name its name
 * @param requirements its {@code [X-Fleet]} requirements
 * @param desired its desired state; only {@code loaded} and {@code launched} units are placed
 */
public record Job(UnitName name, Requirements requirements, JobState desired) {

    public Job {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(requirements, "requirements");
        Objects.requireNonNull(desired, "desired");
    }

    /** The resources it requests. */
    public Resources request() {
        return new Resources(requirements.cpuMillis(), requirements.memoryBytes());
    }

    /** True when it should be on a machine (desired state loaded or launched). */
    public boolean wantsMachine() {
        return desired != JobState.INACTIVE;
    }
}
