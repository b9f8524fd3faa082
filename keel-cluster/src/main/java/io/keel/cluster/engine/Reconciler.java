package io.keel.cluster.engine;

import io.keel.cluster.registry.ClusterView;
import io.keel.cluster.registry.Decision;
import io.keel.cluster.registry.MachineRecord;
import io.keel.cluster.registry.ScheduleRecord;
import io.keel.cluster.registry.UnitRecord;
import io.keel.cluster.registry.Versioned;
import io.keel.cluster.schedule.Decisions;
import io.keel.cluster.schedule.Job;
import io.keel.cluster.schedule.Machine;
import io.keel.cluster.schedule.Resources;
import io.keel.cluster.schedule.Scheduler;
import io.keel.cluster.unit.JobState;
import io.keel.cluster.unit.Requirements;
import io.keel.cluster.unit.UnitFile;
import io.keel.cluster.unit.UnitName;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Turns a {@link ClusterView} into the decisions that bring the schedule in line with it: no I/O,
 * no clock. It runs the {@link Scheduler} on the view's machines, units and placements, and pins
 * every resulting decision to the revisions of the keys it was made from.
 *
 * <p>Parsed unit files are cached by unit name and hash (a unit's file never changes without its
 * hash changing), so a reconcile costs one scheduler run, not one parse per unit.
 */
public final class Reconciler {

    private final Scheduler scheduler;
    private final Map<String, Parsed> parsed = new HashMap<>();

    public Reconciler(Scheduler scheduler) {
        this.scheduler = scheduler;
    }

    /** What one planning pass decided. */
    public record Plan(List<Decision> decisions, Decisions scheduled, long viewRevision) {

        public long count(Class<? extends Decision> kind) {
            return decisions.stream().filter(kind::isInstance).count();
        }
    }

    /** A unit's parsed requirements, or why they cannot be read. */
    private record Parsed(String hash, UnitName name, Requirements requirements, String error) {}

    public Plan plan(ClusterView view) {
        List<Machine> machines = new ArrayList<>(view.machines().size());
        for (Versioned<MachineRecord> m : view.machines().values()) {
            MachineRecord r = m.value();
            machines.add(new Machine(r.id(), r.metadata(),
                    new Resources(r.capacity().cpuMillis(), r.capacity().memoryBytes())));
        }
        List<Job> jobs = new ArrayList<>(view.units().size());
        Map<String, String> invalid = new TreeMap<>();
        for (Versioned<UnitRecord> u : view.units().values()) {
            Parsed p = parse(u.value());
            if (p.error != null) {
                invalid.put(u.value().name(), p.error);
                continue;
            }
            JobState desired;
            try {
                desired = JobState.parse(u.value().desiredState());
            } catch (IllegalArgumentException e) {
                invalid.put(u.value().name(), e.getMessage());
                continue;
            }
            jobs.add(new Job(p.name, p.requirements, desired));
        }
        parsed.keySet().retainAll(view.units().keySet());
        Map<String, String> current = new HashMap<>(view.schedule().size() * 2);
        view.schedule().forEach((name, s) -> current.put(name, s.value().machineID()));

        Decisions scheduled = scheduler.schedule(machines, jobs, current);
        return new Plan(decisions(view, scheduled, invalid), scheduled, view.revision());
    }

    private List<Decision> decisions(ClusterView view, Decisions scheduled, Map<String, String> invalid) {
        Map<String, String> reasons = new TreeMap<>(scheduled.unschedulable());
        invalid.forEach((name, error) -> {
            if (JobState.INACTIVE.wireName().equals(view.units().get(name).value().desiredState())) {
                return;
            }
            reasons.put(name, "invalid unit: " + error);
        });
        Map<String, Decision> byUnit = new TreeMap<>();
        scheduled.place().forEach((name, machine) -> {
            Versioned<UnitRecord> unit = view.units().get(name);
            Versioned<MachineRecord> target = view.machines().get(machine);
            Versioned<ScheduleRecord> placed = view.schedule().get(name);
            if (unit == null || target == null || placed != null && placed.value().machineID().equals(machine)) {
                return;
            }
            byUnit.put(name, new Decision.Place(name, machine, unit.value().hash(), unit.modRevision(),
                    target.modRevision(), revision(placed), revision(view.unschedulable().get(name))));
        });
        for (String name : scheduled.unschedule()) {
            addUnschedule(view, byUnit, name, reasons.get(name));
        }
        for (String name : invalid.keySet()) {
            if (view.schedule().containsKey(name)) {
                addUnschedule(view, byUnit, name, reasons.get(name));
            }
        }
        reasons.forEach((name, reason) -> {
            if (byUnit.containsKey(name)) {
                return;
            }
            Versioned<UnitRecord> unit = view.units().get(name);
            Versioned<String> recorded = view.unschedulable().get(name);
            if (unit != null && (recorded == null || !recorded.value().equals(reason))) {
                byUnit.put(name, new Decision.MarkUnschedulable(name, reason, unit.modRevision(), revision(recorded)));
            }
        });
        view.unschedulable().forEach((name, recorded) -> {
            if (!byUnit.containsKey(name) && !reasons.containsKey(name)) {
                byUnit.put(name, new Decision.ClearUnschedulable(name, recorded.modRevision()));
            }
        });
        return List.copyOf(byUnit.values());
    }

    private static void addUnschedule(ClusterView view, Map<String, Decision> byUnit, String name, String reason) {
        Versioned<ScheduleRecord> placed = view.schedule().get(name);
        if (placed == null) {
            return;
        }
        Versioned<UnitRecord> unit = view.units().get(name);
        Versioned<String> recorded = view.unschedulable().get(name);
        String newReason = reason != null && (recorded == null || !recorded.value().equals(reason)) ? reason : null;
        byUnit.put(name, new Decision.Unschedule(name, revision(unit), placed.modRevision(), newReason,
                revision(recorded)));
    }

    private Parsed parse(UnitRecord unit) {
        Parsed cached = parsed.get(unit.name());
        if (cached != null && cached.hash.equals(unit.hash())) {
            return cached;
        }
        Parsed fresh;
        try {
            UnitName name = UnitName.parse(unit.name());
            fresh = new Parsed(unit.hash(), name, Requirements.of(name, UnitFile.parse(unit.unitFile())), null);
        } catch (RuntimeException e) {
            fresh = new Parsed(unit.hash(), null, null, e.getMessage());
        }
        parsed.put(unit.name(), fresh);
        return fresh;
    }

    private static long revision(Versioned<?> v) {
        return v == null ? 0 : v.modRevision();
    }
}
