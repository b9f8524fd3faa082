package io.keel.agent.local;

import io.keel.cluster.registry.ClusterView;
import io.keel.cluster.registry.MachineRecord;
import io.keel.cluster.registry.ScheduleRecord;
import io.keel.cluster.registry.UnitRecord;
import io.keel.cluster.registry.Versioned;
import io.keel.cluster.schedule.Job;
import io.keel.cluster.schedule.Machine;
import io.keel.cluster.schedule.Resources;
import io.keel.cluster.schedule.Scheduler;
import io.keel.cluster.unit.JobState;
import io.keel.cluster.unit.Requirements;
import io.keel.cluster.unit.UnitFile;
import io.keel.cluster.unit.UnitName;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Which units one machine should hold, and in which state, according to a cluster view: the units
 * the engine scheduled to it (in the unit's current version), and the global units
 * whose requirements the machine meets. No I/O, no clock.
 */
public final class DesiredUnits {

    /** One unit this machine should hold: {@code state} is {@code LOADED} or {@code LAUNCHED}. */
    public record Wanted(UnitRecord unit, JobState state, boolean global) {}

    private static final Scheduler SCHEDULER = new Scheduler();

    private DesiredUnits() {}

    public static Map<String, Wanted> of(ClusterView view, String machineId) {
        Map<String, Wanted> wanted = new TreeMap<>();
        Versioned<MachineRecord> self = view.machines().get(machineId);
        for (Versioned<UnitRecord> versioned : view.units().values()) {
            UnitRecord unit = versioned.value();
            JobState desired;
            try {
                desired = JobState.parse(unit.desiredState());
            } catch (IllegalArgumentException e) {
                continue;
            }
            if (desired == JobState.INACTIVE) {
                continue;
            }
            Versioned<ScheduleRecord> schedule = view.schedule().get(unit.name());
            if (schedule != null) {
                if (schedule.value().machineID().equals(machineId)) {
                    wanted.put(unit.name(), new Wanted(unit, desired, false));
                }
            } else if (self != null && globalHere(unit, desired, self.value())) {
                wanted.put(unit.name(), new Wanted(unit, desired, true));
            }
        }
        return wanted;
    }

    private static boolean globalHere(UnitRecord unit, JobState desired, MachineRecord self) {
        Requirements requirements;
        UnitName name;
        try {
            name = UnitName.parse(unit.name());
            requirements = Requirements.of(name, UnitFile.parse(unit.unitFile()));
        } catch (RuntimeException e) {
            return false;
        }
        if (!requirements.global()) {
            return false;
        }
        Machine machine = new Machine(self.id(), self.metadata(),
                new Resources(self.capacity().cpuMillis(), self.capacity().memoryBytes()));
        return !SCHEDULER.eligibleMachines(new Job(name, requirements, desired), List.of(machine)).isEmpty();
    }
}
